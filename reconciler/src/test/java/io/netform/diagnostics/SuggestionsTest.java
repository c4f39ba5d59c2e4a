package io.netform.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void transposedLettersAreOneEdit() {
    assertEquals(1, Suggestions.distance("masquearde", "masquerade"));
  }

  @Test
  void suggestsTheClosestKnownWord() {
    assertEquals("bridge_name", Suggestions.closest("bridge_nme", List.of("bridge_name", "internal", "mtu")).orElseThrow());
  }

  @Test
  void saysNothingWhenNothingIsClose() {
    assertTrue(Suggestions.closest("zzzzzz", List.of("bridge_name", "internal")).isEmpty());
  }
}
