package io.netform.cli;

import io.netform.kernel.DirectoryTrust;
import io.netform.kernel.KernelHost;
import io.netform.kernel.StateDirectory;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.ffi.Umask;
import io.netform.kernel.files.NamePlaces;
import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.netlink.NetlinkException;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.kernel.sandbox.SandboxFleet;
import io.netform.net.IpAddress;
import io.netform.util.IoReasons;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * How a command reaches a kernel: the machine itself, or with {@code --sandbox} a throwaway
 * namespace that looks like a small host (removed when the command ends, or by the next run if
 * this one crashed).
 */
final class HostAccess {

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = StateDirectory.DEFAULT,
      description = "Where netform keeps its inventory and lock on this host: made 0700 if missing, refused if another "
          + "user could change it (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--netns-dir", paramLabel = "DIR", defaultValue = "/run/netns",
      description = "Directory of named network namespaces, as iproute2 uses it (default: ${DEFAULT-VALUE}); refused, as "
          + "--etc-netns-dir is, if another user could change it.")
  Path netnsDir;

  @Option(names = "--etc-netns-dir", paramLabel = "DIR",
      description = "Where containers' resolv.conf and hosts go, as DIR/NAME/resolv.conf: the directory ip netns exec "
          + "mounts over /etc (default: /etc/netns with the default --netns-dir, else a directory beside it, NETNS_DIR-etc).")
  Path etcNetnsDir;

  @Option(names = "--firewall-backend", paramLabel = "KIND", defaultValue = "${env:" + FirewallKind.ENVIRONMENT + ":-iptables}",
      converter = FirewallKindConverter.class,
      description = "Where netform keeps its firewall rules: iptables (Docker 20.10's chains, NETFORM-*) or nftables "
          + "(tables of its own, ip netform and ip6 netform; one transaction for both families). A host keeps one: the "
          + "other's rules are refused until removed. Default: $" + FirewallKind.ENVIRONMENT + ", else iptables.")
  FirewallKind firewall;

  @Option(names = "--sandbox", description = "Work on a throwaway sandbox namespace instead of this machine "
      + "(a small host with an uplink eth0 to a 'world' namespace; for 'apply' of a desired state with hosts:, one such "
      + "host per declared host, up to five, on one LAN). Needs root; touches nothing else.")
  boolean sandbox;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The options given on the command line among {@code names} (never their defaults). */
  List<String> given(String... names) {
    ParseResult parsed = command == null ? null : command.commandLine().getParseResult();
    return parsed == null ? List.of() : Arrays.stream(names).filter(parsed::hasMatchedOption).toList();
  }

  /** A host plus whatever must be closed with it. */
  record Opened(KernelHost host, Optional<Sandbox> sandbox) implements AutoCloseable {
    @Override
    public void close() {
      sandbox.ifPresentOrElse(Sandbox::close, host::close);
    }
  }

  Opened open() {
    if (sandbox) {
      refuseDirectoriesWithSandbox();
    }
    requireRoot();
    Umask.withholdWriteFromOthers(); // what it makes in the directories it judges must pass the next judgement
    try {
      if (sandbox) {
        Sandbox s = Sandbox.create(Sandbox.DEFAULT_ROOT, firewall());
        System.err.println("netform: working in sandbox " + s.dir() + " (removed when this command ends)");
        return new Opened(s.host(), Optional.of(s));
      }
      StateDirectory state = StateDirectory.open(stateDir); // refused before the kernel is touched
      NamedNamespaces namespaces = new NamedNamespaces(netnsDir);
      NamePlaces paired = NamePlaces.pairedWith(namespaces);
      NamePlaces names = etcNetnsDir == null ? paired : paired.withEtcNetns(etcNetnsDir.toAbsolutePath());
      trust("the namespace directory", netnsDir.toAbsolutePath(), "--netns-dir");
      trust("the name file directory", names.etcNetns(), "--etc-netns-dir");
      NetnsHandle root = NetnsHandle.ofThisProcess();
      return new Opened(new KernelHost(root, namespaces, state, firewall().open(root), names), Optional.empty());
    } catch (SyscallException | NetlinkException e) {
      throw new UserError("cannot reach the kernel: " + e.getMessage());
    }
  }

  /** A sandbox has directories of its own: ones given with it would be ignored without a word. */
  void refuseDirectoriesWithSandbox() {
    List<String> ignored = given("--state-dir", "--netns-dir", "--etc-netns-dir");
    if (!ignored.isEmpty()) {
      throw new UserError(String.join(", ", ignored) + " cannot be used with --sandbox, which makes a state and "
          + "namespace directory of its own (removed with it): leave " + (ignored.size() == 1 ? "it" : "them")
          + " out, or leave out --sandbox to work on this machine");
    }
  }

  /**
   * netform mounts namespaces in the namespace directory and writes containers' resolv.conf and
   * hosts under the other, as root: another user able to change either (to put a file or a link
   * where netform mounts or writes) is refused before anything is read or changed.
   */
  private static void trust(String label, Path dir, String option) {
    try {
      new DirectoryTrust(label, dir, option, DirectoryTrust.Privacy.READABLE, UserError::new).check();
    } catch (java.io.IOException e) {
      throw new UserError("cannot use " + label + " " + dir + ": " + IoReasons.describe(e) + "; choose another " + option);
    }
  }

  /**
   * With {@code --sandbox} and a multi-host desired state: one sandbox host per declared host
   * (name → underlay address), all on one LAN, removed when the command ends.
   */
  SandboxFleet openFleet(Map<String, IpAddress> hosts) {
    refuseDirectoriesWithSandbox();
    requireRoot();
    Umask.withholdWriteFromOthers();
    if (hosts.size() > SandboxFleet.MAX_HOSTS) {
      throw new UserError("--sandbox builds at most " + SandboxFleet.MAX_HOSTS + " sandbox hosts, and the desired state "
          + "declares " + hosts.size() + ": try one host's share with --sandbox --host NAME");
    }
    try {
      SandboxFleet fleet = SandboxFleet.create(Sandbox.DEFAULT_ROOT, hosts, firewall());
      System.err.println("netform: working in " + hosts.size() + " sandbox hosts on one LAN (" + String.join(", ",
          hosts.keySet()) + "; removed when this command ends)");
      return fleet;
    } catch (SyscallException | NetlinkException e) {
      throw new UserError("cannot reach the kernel: " + e.getMessage());
    }
  }

  /** The chosen backend (iptables where a command is built without picocli, as tests do). */
  FirewallKind firewall() {
    return firewall == null ? FirewallKind.IPTABLES : firewall;
  }

  /** Whether the backend was chosen, by --firewall-backend or $NETFORM_FIREWALL_BACKEND, rather than left to the default. */
  boolean firewallChosen() {
    String environment = System.getenv(FirewallKind.ENVIRONMENT);
    return !given("--firewall-backend").isEmpty() || environment != null && !environment.isBlank();
  }

  private static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      throw new UserError("this command reads or changes the kernel and needs root (CAP_NET_ADMIN): run it with sudo. "
          + "Without root: 'netform plan --empty-host' or 'netform plan --observed SNAPSHOT.json'.");
    }
  }
}
