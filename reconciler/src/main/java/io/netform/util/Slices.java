package io.netform.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Work on a list split into {@code threads} slices, each on a daemon thread of its own: the
 * results of all slices, in no particular order. A failure ends its slice; the first one is
 * thrown once every slice has ended.
 */
public final class Slices {

  private Slices() {}

  public static <T, R> List<R> map(List<T> items, int threads, String threadName, Function<List<T>, List<R>> slice) {
    if (items.isEmpty()) {
      return List.of();
    }
    int n = Math.max(1, Math.min(threads, items.size()));
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<R>>> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<T> part = new ArrayList<>();
        for (int j = i; j < items.size(); j += n) {
          part.add(items.get(j));
        }
        parts.add(pool.submit(() -> slice.apply(part)));
      }
      List<R> out = new ArrayList<>();
      RuntimeException first = null;
      for (Future<List<R>> f : parts) {
        try {
          out.addAll(f.get());
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + threadName, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
