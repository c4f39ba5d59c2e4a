package io.netform.kernel.observe;

import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.SyscallException;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads many namespaces quickly: a few dedicated threads each enter namespace after namespace
 * (setns is per thread and cheap) and dump it through a socket opened there, instead of one
 * thread per namespace. Each thread returns to its original namespace before it ends.
 */
public final class NamespaceWalker {

  private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private NamespaceWalker() {}

  /** Views of the given namespaces (name → path); a namespace that vanished meanwhile is left out. */
  public static List<NamespaceView> read(Map<String, Path> namespaces) {
    List<Map.Entry<String, Path>> all = new ArrayList<>(namespaces.entrySet());
    if (all.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(THREADS, all.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "netns-walker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<NamespaceView>>> parts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        List<Map.Entry<String, Path>> slice = new ArrayList<>();
        for (int j = i; j < all.size(); j += threads) {
          slice.add(all.get(j));
        }
        parts.add(pool.submit(() -> walk(slice)));
      }
      List<NamespaceView> out = new ArrayList<>();
      for (Future<List<NamespaceView>> f : parts) {
        out.addAll(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading namespaces", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs on a walker thread: enters each namespace, dumps it, and finally goes home. */
  private static List<NamespaceView> walk(List<Map.Entry<String, Path>> slice) {
    LibC libc = LibC.get();
    int home = libc.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (home < 0) {
      throw new SyscallException("opening the walker's own namespace", LibC.errno());
    }
    List<NamespaceView> out = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> e : slice) {
        enter(e.getValue()).ifPresent(fd -> {
          try (NetlinkSocket socket = NetlinkSocket.open()) {
            Rtnl rtnl = new Rtnl(socket);
            out.add(new NamespaceView(e.getKey(), e.getValue(), rtnl.links(), rtnl.addresses(), rtnl.routes()));
          } finally {
            libc.close(fd);
          }
        });
      }
    } finally {
      libc.setns(home, LibC.CLONE_NEWNET);
      libc.close(home);
    }
    return out;
  }

  private static Optional<Integer> enter(Path path) {
    LibC libc = LibC.get();
    int fd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      return Optional.empty();
    }
    if (libc.setns(fd, LibC.CLONE_NEWNET) != 0) {
      int errno = LibC.errno();
      libc.close(fd);
      if (errno == io.netform.kernel.ffi.Errno.EINVAL) {
        return Optional.empty(); // not a network namespace (e.g. a stale plain file)
      }
      throw new SyscallException("entering namespace " + path, errno);
    }
    return Optional.of(fd);
  }
}
