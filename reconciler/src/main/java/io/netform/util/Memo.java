package io.netform.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Results of a pure function by argument, for functions called thousands of times per reconcile
 * with the same arguments (parsing ownership markers, deriving interface names). Bounded: emptied
 * when it grows past {@code limit}, far more than any host holds, so it cannot grow without end.
 */
public final class Memo<K, V> {

  private final ConcurrentHashMap<K, V> known = new ConcurrentHashMap<>();
  private final Function<K, V> function;
  private final int limit;

  public Memo(Function<K, V> function, int limit) {
    this.function = function;
    this.limit = limit;
  }

  public V get(K argument) {
    V value = known.get(argument);
    if (value != null) {
      return value;
    }
    if (known.size() >= limit) {
      known.clear();
    }
    value = function.apply(argument);
    known.put(argument, value);
    return value;
  }
}
