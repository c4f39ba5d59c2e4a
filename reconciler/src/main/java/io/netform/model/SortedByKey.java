package io.netform.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Kernel objects in key order, each key computed once and the whole sorted at once: a sorted map
 * to copy into a TreeMap in one linear pass. Inserting thousands of objects into a TreeMap one by
 * one compared their long, alike keys over and over, and was close to half of compiling a target.
 * Only for copying: the views of a SortedMap that a copy does not use are not offered.
 */
public final class SortedByKey extends AbstractMap<String, KernelObject> implements SortedMap<String, KernelObject> {

  private final List<Map.Entry<String, KernelObject>> entries;

  private SortedByKey(List<Map.Entry<String, KernelObject>> entries) {
    this.entries = entries;
  }

  /** The objects by key, the first of several with one key kept (the sort is stable). */
  public static SortedMap<String, KernelObject> firstOfEachKey(Collection<? extends KernelObject> objects) {
    return sorted(objects, false);
  }

  /** The objects by key; two with one key are refused. */
  static SortedMap<String, KernelObject> uniqueKeys(Collection<? extends KernelObject> objects) {
    return sorted(objects, true);
  }

  private static SortedMap<String, KernelObject> sorted(Collection<? extends KernelObject> objects, boolean unique) {
    List<Map.Entry<String, KernelObject>> all = new ArrayList<>(objects.size());
    objects.forEach(o -> all.add(new AbstractMap.SimpleImmutableEntry<>(o.key(), o)));
    all.sort(Map.Entry.comparingByKey());
    List<Map.Entry<String, KernelObject>> kept = new ArrayList<>(all.size());
    for (Map.Entry<String, KernelObject> e : all) {
      if (!kept.isEmpty() && kept.get(kept.size() - 1).getKey().equals(e.getKey())) {
        if (unique) {
          throw new IllegalArgumentException("two objects with key " + e.getKey());
        }
        continue;
      }
      kept.add(e);
    }
    return new SortedByKey(kept);
  }

  @Override
  public Set<Map.Entry<String, KernelObject>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, KernelObject>> iterator() {
        return entries.iterator();
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }

  @Override
  public Comparator<? super String> comparator() {
    return null; // the keys' natural order, as a TreeMap's without a comparator
  }

  @Override
  public String firstKey() {
    return entries.get(0).getKey();
  }

  @Override
  public String lastKey() {
    return entries.get(entries.size() - 1).getKey();
  }

  @Override
  public SortedMap<String, KernelObject> subMap(String fromKey, String toKey) {
    throw new UnsupportedOperationException("only for copying");
  }

  @Override
  public SortedMap<String, KernelObject> headMap(String toKey) {
    throw new UnsupportedOperationException("only for copying");
  }

  @Override
  public SortedMap<String, KernelObject> tailMap(String fromKey) {
    throw new UnsupportedOperationException("only for copying");
  }
}
