package io.netform.kernel;

import io.netform.kernel.files.NamePlaces;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host netform manages: its own network namespace, the directory of named container
 * namespaces, the state directory (inventory, lock, name records), the firewall, and where the
 * containers' name files go. The real host and a sandbox differ only in these values.
 */
public record KernelHost(NetnsHandle root, NamedNamespaces namespaces, StateDirectory state, FirewallBackend firewall,
    NamePlaces names) implements AutoCloseable {

  /** With the name files where they go with {@code namespaces} ({@link NamePlaces#pairedWith}). */
  public KernelHost(NetnsHandle root, NamedNamespaces namespaces, StateDirectory state, FirewallBackend firewall) {
    this(root, namespaces, state, firewall, NamePlaces.pairedWith(namespaces));
  }

  /** With the state directory at {@code stateDir}, opened (made private, or refused if unsafe) here. */
  public KernelHost(NetnsHandle root, NamedNamespaces namespaces, Path stateDir, FirewallBackend firewall) {
    this(root, namespaces, StateDirectory.open(stateDir), firewall);
  }

  public Path stateDir() {
    return state.dir();
  }

  public Inventory inventory() {
    return new Inventory(state);
  }

  /** The file of a container's namespace: its own path if given, else NAME in the namespace directory. */
  public Path namespacePath(String name, Optional<String> path) {
    return path.map(Path::of).orElse(namespaces.path(name));
  }

  @Override
  public void close() {
    root.close();
  }
}
