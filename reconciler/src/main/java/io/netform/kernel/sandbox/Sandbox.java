package io.netform.kernel.sandbox;

import io.netform.kernel.KernelHost;
import io.netform.kernel.StateDirectory;
import io.netform.kernel.files.NamePlaces;
import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway network namespace that looks like a small host, for trying netform and for tests
 * without touching the machine: loopback, an uplink {@code eth0} (198.18.0.2/24, from the
 * benchmarking range RFC 2544 reserves) to a "world" namespace (198.18.0.1) that is the default
 * gateway, the same for IPv6 (2001:db8:18::2/64 and 2001:db8:18::1, from the documentation range
 * RFC 3849 reserves), its own directory for container namespaces, its own state directory and its own
 * place for containers' name files (with a resolv.conf naming the world as the name server). Closing it
 * removes everything; a sandbox whose process died is removed by the next {@link #create}.
 */
public final class Sandbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  public static final Path DEFAULT_ROOT = Path.of("/run/netform/sandboxes");
  public static final IpAddress HOST_ADDRESS = IpAddress.parse("198.18.0.2");
  public static final IpAddress WORLD_ADDRESS = IpAddress.parse("198.18.0.1");
  public static final IpAddress HOST_ADDRESS_V6 = IpAddress.parse("2001:db8:18::2");
  public static final IpAddress WORLD_ADDRESS_V6 = IpAddress.parse("2001:db8:18::1");
  public static final String UPLINK = "eth0";

  private final Path dir;
  private final NamedNamespaces base;
  private final KernelHost host;
  private final NetnsHandle world;

  private Sandbox(Path dir, NamedNamespaces base, KernelHost host, NetnsHandle world) {
    this.dir = dir;
    this.base = base;
    this.host = host;
    this.world = world;
  }

  public static Sandbox create(Path root) {
    return create(root, FirewallKind.IPTABLES);
  }

  /** A sandbox whose firewall rules go to {@code firewall}. */
  public static Sandbox create(Path root, FirewallKind firewall) {
    removeStale(root);
    Path dir = root.resolve(ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
    try {
      for (String sub : FILE_SYSTEMS.keySet()) {
        Files.createDirectories(dir.resolve(sub));
      }
      Files.writeString(dir.resolve("pid"), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("creating the sandbox in " + dir + ": " + e.getMessage(), e);
    }
    NamedNamespaces base = new NamedNamespaces(dir);
    NetnsHandle hostNs = NetnsHandle.open("sandbox", base.create("host"));
    NetnsHandle world = NetnsHandle.open("world", base.create("world"));
    // Inside the directory's own bind mount, made by the creations above.
    FILE_SYSTEMS.forEach((sub, mode) -> mountTmpfs(dir.resolve(sub), mode));
    wire(hostNs, world);
    KernelHost host = new KernelHost(hostNs, new NamedNamespaces(dir.resolve("netns")), StateDirectory.open(dir.resolve("state")),
        firewall.open(hostNs), names(dir));
    return new Sandbox(dir, base, host, world);
  }

  /**
   * The sandbox's directories that get a tmpfs of their own, with its mode: the container
   * namespaces' directory (as {@code /run/netns} is a tmpfs on most hosts), the state directory
   * and the containers' name files. A sandbox is thrown away, so nothing of it belongs on the
   * disk; and on this project's machines the disk's file system has no journal, where ext4
   * scans for recently deleted inodes at every file it creates: right after another sandbox was
   * removed, writing a thousand containers' name files there took seconds, on a tmpfs a fraction
   * of that (docs/performance.md). Best effort: where a tmpfs cannot be mounted a directory stays
   * as it is. Unmounted by {@link #destroy}.
   */
  private static final Map<String, String> FILE_SYSTEMS = Map.of("netns", "0755", "state", "0700", "etc-netns", "0755");

  private static void mountTmpfs(Path dir, String mode) {
    if (LibC.get().mount("netform-sandbox", dir.toString(), "tmpfs", 0, "mode=" + mode) != 0) {
      LOG.debug("no tmpfs for the sandbox's {} ({}); it stays on the disk's file system", dir, Errno.name(LibC.errno()));
    }
  }

  private static void unmountTmpfs(Path dir) {
    if (LibC.get().umount2(dir.toString(), LibC.MNT_DETACH) != 0 && LibC.errno() != Errno.EINVAL
        && LibC.errno() != Errno.ENOENT) {
      LOG.debug("unmounting the sandbox's {}: {}", dir, Errno.name(LibC.errno()));
    }
  }

  /**
   * The sandbox's own name files: containers' files in its etc-netns, and a resolv.conf of its
   * "host" that names the world namespace as the upstream name server.
   */
  private static NamePlaces names(Path dir) {
    Path resolvConf = dir.resolve("resolv.conf");
    try {
      Files.writeString(resolvConf, "nameserver " + WORLD_ADDRESS + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("creating the sandbox in " + dir + ": " + e.getMessage(), e);
    }
    return new NamePlaces(dir.resolve("etc-netns"), resolvConf, dir.resolve("no-resolved.conf"));
  }

  private static void wire(NetnsHandle hostNs, NetnsHandle world) {
    Rtnl h = hostNs.rtnl();
    Rtnl w = world.rtnl();
    h.run(h.setLinkByName(h.batch(), "lo", Optional.of(true), 0, Optional.empty(), Optional.empty()));
    w.run(w.setLinkByName(w.batch(), "lo", Optional.of(true), 0, Optional.empty(), Optional.empty()));
    h.run(h.createVeth(h.batch(), UPLINK, 1500, 0, Optional.empty(), true, "uplink", world.fd(), Optional.empty()));
    w.run(w.setLinkByName(w.batch(), "uplink", Optional.of(true), 0, Optional.empty(), Optional.empty()));
    int eth0 = h.linkIndex(UPLINK).orElseThrow();
    h.run(h.addAddress(h.batch(), eth0, UPLINK, new Cidr(HOST_ADDRESS, 24)));
    int uplink = w.linkIndex("uplink").orElseThrow();
    w.run(w.addAddress(w.batch(), uplink, "uplink", new Cidr(WORLD_ADDRESS, 24)));
    h.run(h.replaceRoute(h.batch(), Cidr.parse("0.0.0.0/0"), Optional.of(WORLD_ADDRESS), eth0, Nl.RTPROT_STATIC));
    h.run(h.addAddress(h.batch(), eth0, UPLINK, new Cidr(HOST_ADDRESS_V6, 64)));
    w.run(w.addAddress(w.batch(), uplink, "uplink", new Cidr(WORLD_ADDRESS_V6, 64)));
    h.run(h.replaceRoute(h.batch(), Cidr.parse("::/0"), Optional.of(WORLD_ADDRESS_V6), eth0, Nl.RTPROT_STATIC));
  }

  public KernelHost host() {
    return host;
  }

  /** The namespace beyond the uplink: a stand-in for the rest of the network. */
  public NetnsHandle world() {
    return world;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    host.close();
    world.close();
    destroy(dir);
  }

  /** Removes sandboxes whose creating process is gone (a crash, kill -9). */
  static void removeStale(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        Optional<Long> pid = readPid(d);
        boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          destroy(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Long> readPid(Path d) {
    try {
      return Optional.of(Long.parseLong(Files.readString(d.resolve("pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Unmounts every namespace of a sandbox (containers first) and deletes its directory. */
  static void destroy(Path d) {
    NamedNamespaces containers = new NamedNamespaces(d.resolve("netns"));
    containers.list().forEach(containers::delete);
    containers.unmountDirectory();
    for (String sub : FILE_SYSTEMS.keySet()) {
      if (!sub.equals("netns")) {
        unmountTmpfs(d.resolve(sub));
      }
    }
    NamedNamespaces base = new NamedNamespaces(d);
    for (String n : List.of("host", "world")) {
      if (Files.exists(d.resolve(n))) {
        base.delete(n);
      }
    }
    base.unmountDirectory();
    try (Stream<Path> files = Files.walk(d)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("removing sandbox " + d + ": " + e.getMessage(), e);
    }
  }
}
