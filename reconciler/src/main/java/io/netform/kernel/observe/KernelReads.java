package io.netform.kernel.observe;

import io.netform.kernel.files.NameFileStore;
import io.netform.kernel.firewall.FirewallBackend;
import io.netform.kernel.netns.NetnsHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the observer's raw reads come from: fresh from the kernel every time (a one-shot command),
 * or a view kept current by netlink events ({@link EventDrivenReads}, for a long-running agent).
 */
public interface KernelReads {

  HostReads host();

  /**
   * Views of the given namespaces (name → path); a namespace that vanished meanwhile is left out.
   * {@code inodes} holds the namespace inodes already read for some of them (a listing of the
   * namespace directory reads them anyway), so that a view need not look at those files again.
   */
  List<NamespaceView> namespaces(Map<String, Path> candidates, Map<String, Long> inodes);

  /** netform's firewall objects, as {@code backend} reads them (or as last read, while nothing changed). */
  default FirewallBackend.Observed firewall(FirewallBackend backend) {
    return backend.observe();
  }

  /** The name files, as {@code store} reads them (or as last read, where nothing changed since). */
  default NameFileStore.Observed nameFiles(NameFileStore store) {
    return store.observe();
  }

  static KernelReads fresh(NetnsHandle root) {
    return new KernelReads() {
      @Override
      public HostReads host() {
        return HostReads.read(root.rtnl());
      }

      @Override
      public List<NamespaceView> namespaces(Map<String, Path> candidates, Map<String, Long> inodes) {
        return NamespaceWalker.read(candidates);
      }
    };
  }
}
