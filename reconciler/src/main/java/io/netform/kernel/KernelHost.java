package io.netform.kernel;

import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.firewall.IptablesBackend;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import java.nio.file.Path;

/**
 * The host netform manages: its own network namespace, the directory of named container
 * namespaces, the state directory (inventory), and the firewall. The real host and a sandbox
 * differ only in these four values.
 */
public record KernelHost(NetnsHandle root, NamedNamespaces namespaces, Path stateDir, FirewallBackend firewall)
    implements AutoCloseable {

  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/netform");

  /** The machine netform runs on. */
  public static KernelHost system() {
    NetnsHandle root = NetnsHandle.ofThisProcess();
    return new KernelHost(root, new NamedNamespaces(NamedNamespaces.DEFAULT_DIR), DEFAULT_STATE_DIR, new IptablesBackend(root));
  }

  public Inventory inventory() {
    return new Inventory(stateDir);
  }

  /** The file of a container's namespace: its own path if given, else NAME in the namespace directory. */
  public Path namespacePath(String name, java.util.Optional<String> path) {
    return path.map(Path::of).orElse(namespaces.path(name));
  }

  @Override
  public void close() {
    root.close();
  }
}
