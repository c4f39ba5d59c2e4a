package io.netform.kernel.apply;

import io.netform.kernel.OwnershipAlias;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.netlink.LinkInfo;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.observe.HostObserver;
import io.netform.model.AddressObject;
import io.netform.model.KernelObject;
import io.netform.model.MacvlanObject;
import io.netform.model.NamespaceObject;
import io.netform.model.RouteObject;
import io.netform.model.VethObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything one container namespace needs after its links exist, in two round trips: one link
 * dump (names to indexes), then one batch (loopback marker, interfaces up, macvlan marker,
 * addresses, routes). Namespaces are worked through by a few dedicated threads that enter one
 * namespace after another, as the observer does.
 */
final class NamespaceBatch {

  private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private NamespaceBatch() {}

  /** One namespace's share of the creations: new namespace marker, link ups, addresses, routes. */
  static final class Work {
    final String namespace;
    final Path path;
    final List<KernelObject> objects = new ArrayList<>();

    Work(String namespace, Path path) {
      this.namespace = namespace;
      this.path = path;
    }
  }

  static void run(List<Work> work) {
    if (work.isEmpty()) {
      return;
    }
    int threads = Math.min(THREADS, work.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "netns-apply");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        List<Work> slice = new ArrayList<>();
        for (int j = i; j < work.size(); j += threads) {
          slice.add(work.get(j));
        }
        parts.add(pool.submit(() -> slice.forEach(NamespaceBatch::inside)));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while configuring namespaces", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow(); // these threads entered other namespaces: they are never reused
    }
  }

  /** Runs on a throwaway thread: enters the namespace and configures it. */
  private static void inside(Work w) {
    LibC libc = LibC.get();
    int fd = libc.open(w.path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new SyscallException("opening namespace " + w.path, LibC.errno());
    }
    try {
      if (libc.setns(fd, LibC.CLONE_NEWNET) != 0) {
        throw new SyscallException("entering namespace " + w.namespace, LibC.errno());
      }
    } finally {
      libc.close(fd);
    }
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      Rtnl r = new Rtnl(socket);
      Map<String, Integer> index = new HashMap<>();
      for (LinkInfo l : r.links()) {
        index.put(l.name(), l.index());
      }
      Rtnl.Batch b = r.batch();
      for (KernelObject o : w.objects) {
        if (o instanceof NamespaceObject n) {
          r.setLinkByName(b, HostObserver.LOOPBACK, Optional.of(true), 0, Optional.empty(),
              Optional.of(OwnershipAlias.format(n.owner(), Map.of())));
        } else if (o instanceof VethObject v) {
          r.setLinkByName(b, v.peerName(), Optional.of(true), 0, Optional.empty(), Optional.empty());
        } else if (o instanceof MacvlanObject m) {
          r.setLinkByName(b, m.name(), Optional.of(true), 0, Optional.empty(),
              Optional.of(OwnershipAlias.format(m.owner(), Map.of("parent", m.parent()))));
        }
      }
      for (KernelObject o : w.objects) {
        if (o instanceof AddressObject a) {
          r.addAddress(b, indexOf(index, a.device(), w), a.device(), a.address());
        }
      }
      for (KernelObject o : w.objects) {
        if (o instanceof RouteObject rt) {
          r.replaceRoute(b, rt.destination(), rt.gateway(), indexOf(index, rt.device(), w), Nl.RTPROT_STATIC);
        }
      }
      r.run(b);
    }
  }

  private static int indexOf(Map<String, Integer> index, String device, Work w) {
    Integer i = index.get(device);
    if (i == null) {
      throw new IllegalStateException("interface " + device + " does not exist in namespace " + w.namespace);
    }
    return i;
  }
}
