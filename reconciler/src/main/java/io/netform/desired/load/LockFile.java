package io.netform.desired.load;

import io.netform.desired.OverlayLock.LockedEndpoint;
import io.netform.desired.OverlayLock.LockedNetwork;
import io.netform.desired.OverlayLock;
import io.netform.desired.SourceMap;
import io.netform.desired.VxlanId;
import io.netform.diagnostics.Diagnostic;
import io.netform.diagnostics.Location;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock file of a desired state, {@code netform.lock}: in the directory given, or in the
 * directory of the first file given. Written by {@code netform lock} (YAML, like the desired
 * state, so its errors are located the same way); read by every command that reads the desired
 * state.
 */
public final class LockFile {

  public static final String NAME = "netform.lock";

  private LockFile() {}

  /** Where the lock of the desired state read from {@code inputs} lives. */
  public static Path near(List<Path> inputs) {
    Path first = inputs.get(0);
    if (Files.isDirectory(first)) {
      return first.resolve(NAME);
    }
    Path dir = first.toAbsolutePath().getParent();
    return dir == null ? Path.of(NAME) : first.resolveSibling(NAME);
  }

  /**
   * The text of the lock next to {@code inputs}, if there is one; what keeps it from being read goes
   * to {@code problems}. A lock that is a link out of its directory is reported, never read.
   */
  static Optional<DesiredStateTexts.Text> text(List<Path> inputs, LoadLimits limits, List<Diagnostic> problems) {
    if (inputs.isEmpty()) {
      return Optional.empty();
    }
    Path file = near(inputs);
    try {
      Path directory = file.toAbsolutePath().getParent().toRealPath();
      Optional<Path> real = DesiredStateFiles.fileInside(file, directory, problems);
      if (real.isEmpty()) {
        return Optional.empty();
      }
      TextDecoding.Result read = DesiredStateLoader.readText(file.toString(), real.get(), limits);
      if (read.problem().isPresent()) {
        problems.add(unreadable(read.problem().get()));
        return Optional.empty();
      }
      return Optional.of(new DesiredStateTexts.Text(file.toString(), read.text().get()));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // no directory, no lock: the path given is reported as missing
    } catch (IOException e) {
      problems.add(Diagnostic.error("unreadable-file", Location.ofFile(file.toString()), "cannot read the lock file: "
          + IoReasons.of(e), "check that it is readable, or delete it and run netform lock"));
      return Optional.empty();
    }
  }

  /** What keeps the lock's text from being read ({@code d}, found as in any file), said of the lock. */
  static Diagnostic unreadable(Diagnostic d) {
    return Diagnostic.error(d.code(), d.location(), "the lock file: " + d.message(),
        "delete it and run netform lock to write it again");
  }

  /** The lock {@code text} holds; what is wrong with it goes to {@code problems}. */
  static Optional<OverlayLock> parse(DesiredStateTexts.Text text, LoadLimits limits, List<Diagnostic> problems) {
    ParsedFile parsed = YamlTreeBuilder.build(text.name(), text.text(), limits);
    problems.addAll(parsed.problems());
    if (parsed.root().isEmpty()) {
      return Optional.empty();
    }
    List<Diagnostic> wrong = new ArrayList<>();
    OverlayLock lock = map(text.name(), TypedNode.root(parsed.root().get()), parsed.sources(), wrong);
    problems.addAll(wrong);
    return wrong.isEmpty() ? Optional.of(lock) : Optional.empty();
  }

  private static OverlayLock map(String file, TypedNode root, SourceMap sources, List<Diagnostic> wrong) {
    Map<String, LockedNetwork> networks = new LinkedHashMap<>();
    if (root.get("version").integer().filter(v -> v == 1).isEmpty()) {
      wrong.add(bad(sources, root.get("version"), "version must be 1"));
    }
    root.get("networks").entries().forEach((name, n) -> {
      Optional<Cidr> subnet = n.get("subnet").string().flatMap(Cidr::tryParse);
      Optional<IpAddress> gateway = n.get("gateway").string().flatMap(IpAddress::tryParse);
      Optional<Integer> vni = n.get("vni").integer();
      if (subnet.isEmpty() || gateway.isEmpty() || vni.isEmpty()) {
        wrong.add(bad(sources, n, "network \"" + name + "\" needs a subnet, a gateway and a vni"));
        return;
      }
      if (!VxlanId.valid(vni.get())) {
        wrong.add(bad(sources, n.get("vni"), "network \"" + name + "\" has vni " + vni.get() + ", not a VXLAN id from "
            + VxlanId.MIN + " to " + VxlanId.MAX));
        return;
      }
      Map<String, LockedEndpoint> endpoints = new LinkedHashMap<>();
      n.get("endpoints").entries().forEach((container, e) -> {
        Optional<IpAddress> ip = e.get("ipv4").string().flatMap(IpAddress::tryParse).filter(IpAddress::isV4);
        Optional<MacAddress> mac = e.get("mac").string().flatMap(MacAddress::tryParse);
        if (ip.isEmpty() || mac.isEmpty()) {
          wrong.add(bad(sources, e, "endpoint \"" + container + "\" of network \"" + name + "\" needs an ipv4 and a mac"));
        } else {
          endpoints.put(container, new LockedEndpoint(ip.get(), mac.get()));
        }
      });
      networks.put(name, new LockedNetwork(subnet.get().network(), gateway.get(), vni.get(), endpoints));
    });
    return new OverlayLock(file, networks);
  }

  private static Diagnostic bad(SourceMap sources, TypedNode at, String what) {
    return Diagnostic.error("bad-lock", sources.value(at.path()), "the lock file is damaged: " + what,
        "do not edit it by hand: delete it and run netform lock to write it again");
  }
}
