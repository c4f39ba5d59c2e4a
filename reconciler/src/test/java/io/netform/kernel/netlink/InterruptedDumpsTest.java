package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The policy for dumps the kernel marks interrupted, without a kernel: attempts and pauses counted. */
class InterruptedDumpsTest {

  private static Message message(int type, int... bytes) {
    byte[] payload = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      payload[i] = (byte) bytes[i];
    }
    return new Message(type, Nl.F_MULTI, 1, payload);
  }

  /** Attempts that are interrupted {@code times} times and then not; each returns {@code messages}. */
  private static Supplier<InterruptedDumps.Attempt> interrupted(int times, List<Message> messages, int[] calls) {
    return () -> new InterruptedDumps.Attempt(messages, calls[0]++ < times);
  }

  @Test
  void aDumpInterruptedAFewTimesIsReadAgainAfterGrowingPauses() {
    List<Long> pauses = new ArrayList<>();
    int[] calls = {0};
    List<Message> messages = List.of(message(Nl.RTM_NEWLINK, 1));
    List<Message> read = InterruptedDumps.read(interrupted(3, messages, calls), pauses::add, "listing links");
    assertEquals(messages, read);
    assertEquals(4, calls[0], "three interrupted attempts, then the one that was not");
    assertEquals(List.of(1L, 2L, 4L), pauses);
  }

  @Test
  void aDumpThatKeepsBeingInterruptedIsTakenAsTheLastAttemptLeftItWithoutRepeats() {
    List<Long> pauses = new ArrayList<>();
    int[] calls = {0};
    Message a = message(Nl.RTM_NEWLINK, 1, 2);
    Message b = message(Nl.RTM_NEWLINK, 3, 4);
    Message sameBytesOtherType = message(Nl.RTM_NEWADDR, 1, 2);
    long takenBefore = InterruptedDumps.takenAsTheyWere();
    List<Message> read = InterruptedDumps.read(interrupted(Integer.MAX_VALUE, List.of(a, b, message(Nl.RTM_NEWLINK, 1, 2),
        sameBytesOtherType), calls), pauses::add, "listing links");
    assertEquals(List.of(a, b, sameBytesOtherType), read, "the repeated message once, in the order first seen");
    assertEquals(InterruptedDumps.ATTEMPTS, calls[0]);
    assertEquals(InterruptedDumps.ATTEMPTS - 1, pauses.size());
    long waited = pauses.stream().mapToLong(Long::longValue).sum();
    assertTrue(waited <= 500, "bounded: " + waited + " ms of pauses in all");
    assertTrue(pauses.stream().allMatch(p -> p <= InterruptedDumps.MAX_PAUSE_MILLIS));
    assertEquals(takenBefore + 1, InterruptedDumps.takenAsTheyWere());
  }
}
