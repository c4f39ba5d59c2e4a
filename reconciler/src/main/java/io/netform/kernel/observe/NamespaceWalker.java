package io.netform.kernel.observe;

import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NamespaceHopper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads many namespaces: three dumps each, through a socket opened inside it. */
public final class NamespaceWalker {

  private NamespaceWalker() {}

  /** Views of the given namespaces (name → path); a namespace that vanished meanwhile is left out. */
  public static List<NamespaceView> read(Map<String, Path> namespaces) {
    return NamespaceHopper.map(new ArrayList<>(namespaces.entrySet()), Map.Entry::getValue, e -> {
      try (NetlinkSocket socket = NetlinkSocket.open()) {
        Rtnl rtnl = new Rtnl(socket);
        return new NamespaceView(e.getKey(), e.getValue(), rtnl.links(), rtnl.addresses(), rtnl.routes());
      }
    }, true);
  }
}
