package io.netform.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Objects sorted at once by key give the map that inserting them one by one into a TreeMap gives. */
class SortedByKeyProperties {

  private static NamespaceObject object(int name, int owner) {
    return new NamespaceObject("c" + name, Optional.empty(), Owner.container("o" + owner));
  }

  @Property(tries = 300)
  void theFirstOfEachKeyInKeyOrderAsATreeMapKeepsThem(@ForAll @Size(max = 60) List<@IntRange(max = 30) Integer> names) {
    List<KernelObject> objects = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      objects.add(object(names.get(i), i)); // same name, other owner: which one is kept shows
    }
    TreeMap<String, KernelObject> expected = new TreeMap<>();
    objects.forEach(o -> expected.putIfAbsent(o.key(), o));
    assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(new TreeMap<>(SortedByKey.firstOfEachKey(objects)).entrySet()));
    if (expected.size() == objects.size()) {
      assertEquals(expected, HostModel.of(objects).objects());
    } else {
      assertThrows(IllegalArgumentException.class, () -> HostModel.of(objects));
    }
  }
}
