package io.netform.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoTest {

  @Test
  void computesOncePerArgumentAndForgetsAtTheLimit() {
    AtomicInteger calls = new AtomicInteger();
    Memo<Integer, String> memo = new Memo<>(i -> {
      calls.incrementAndGet();
      return "v" + i;
    }, 3);
    assertEquals("v1", memo.get(1));
    assertEquals("v1", memo.get(1));
    assertEquals(1, calls.get(), "the second time from memory");
    memo.get(2);
    memo.get(3);
    assertEquals(3, calls.get());
    assertEquals("v4", memo.get(4)); // past the limit: emptied, then kept again
    assertEquals("v1", memo.get(1));
    assertEquals(5, calls.get(), "forgotten when it was emptied");
  }
}
