package io.netform.testing;

import io.netform.kernel.observe.HostObserver;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.model.ObservedHost;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a sandbox's host holds, as text to compare before and after an operation that must change nothing. */
public final class SandboxContents {

  private SandboxContents() {}

  /**
   * netform's objects, the other links, the namespace files, forwarding (netform turns it on and
   * never back off, so a change that was made and undone still shows), and every firewall rule.
   */
  public static String of(Sandbox sandbox) throws Exception {
    ObservedHost seen = new HostObserver(sandbox.host()).observe();
    return "netform's objects:\n" + String.join("\n", new TreeSet<>(seen.owned().objects().keySet()))
        + "\nother links: " + new TreeSet<>(seen.foreign().hostLinkNames())
        + "\nnamespaces: " + new TreeSet<>(sandbox.host().namespaces().list())
        + "\nip_forward: " + sandbox.host().root().readSysctl("net.ipv4.ip_forward")
        + "\nfirewall:\n" + run(sandbox, "iptables-save").lines().filter(l -> !l.startsWith("#"))
            .collect(Collectors.joining("\n"));
  }

  /** Runs {@code iptables ARGS} in the sandbox's host, failing the test if iptables refuses. */
  public static void iptables(Sandbox sandbox, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("iptables"));
    command.addAll(List.of(args));
    run(sandbox, command.toArray(String[]::new));
  }

  /** Runs {@code COMMAND} in the sandbox's host and returns what it printed, failing the test if it fails. */
  public static String run(Sandbox sandbox, String... command) throws Exception {
    Process p = sandbox.host().root().start(new ProcessBuilder(command).redirectErrorStream(true));
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
