package io.netform.kernel.netns;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.SyscallException;
import io.netform.util.Slices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Does work inside many namespaces quickly: a few throwaway threads each enter namespace after
 * namespace (setns is per thread and cheap) instead of one thread per namespace. The threads are
 * discarded afterwards, so no pooled thread is ever left in a foreign namespace.
 */
public final class NamespaceHopper {

  private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private NamespaceHopper() {}

  /**
   * Runs {@code work} inside each item's namespace; the results keep no order. An item whose
   * namespace file is gone (or is not a namespace) is skipped when {@code skipMissing}, else an error.
   */
  public static <T, R> List<R> map(List<T> items, Function<T, Path> pathOf, Function<T, R> work, boolean skipMissing) {
    return Slices.map(items, THREADS, "netns-hopper", slice -> hop(slice, pathOf, work, skipMissing));
  }

  private static <T, R> List<R> hop(List<T> slice, Function<T, Path> pathOf, Function<T, R> work, boolean skipMissing) {
    LibC libc = LibC.get();
    int home = libc.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (home < 0) {
      throw new SyscallException("opening this thread's own namespace", LibC.errno());
    }
    List<R> out = new ArrayList<>();
    try {
      for (T item : slice) {
        Path path = pathOf.apply(item);
        if (enter(path, skipMissing)) {
          out.add(work.apply(item));
        }
      }
    } finally {
      libc.setns(home, LibC.CLONE_NEWNET);
      libc.close(home);
    }
    return out;
  }

  private static boolean enter(Path path, boolean skipMissing) {
    LibC libc = LibC.get();
    int fd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      if (skipMissing) {
        return false;
      }
      throw new SyscallException("opening namespace " + path, LibC.errno());
    }
    try {
      if (libc.setns(fd, LibC.CLONE_NEWNET) != 0) {
        int errno = LibC.errno();
        if (skipMissing && errno == Errno.EINVAL) {
          return false; // a stale plain file where a namespace used to be mounted
        }
        throw new SyscallException("entering namespace " + path, errno);
      }
      return true;
    } finally {
      libc.close(fd);
    }
  }

  /** Convenience for callers that need no result. */
  public static <T> void forEach(List<T> items, Function<T, Path> pathOf, java.util.function.Consumer<T> work) {
    map(items, pathOf, item -> {
      work.accept(item);
      return Optional.empty();
    }, false);
  }
}
