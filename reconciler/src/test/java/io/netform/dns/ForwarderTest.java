package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of forwarded queries: bounded, timed out onto the next upstream, deaf to answers from elsewhere. */
class ForwarderTest {

  private static final IpAddress A = IpAddress.parse("192.0.2.1");
  private static final IpAddress B = IpAddress.parse("192.0.2.2");

  /** A query header with {@code id}, and an answer to {@code sent} (its id) with QR set. */
  private static byte[] query(int id) {
    return new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  }

  private static byte[] answerTo(byte[] sent) {
    byte[] a = sent.clone();
    a[2] = (byte) 0x81;
    return a;
  }

  @Test
  void aFullTableRefusesInsteadOfGrowing() {
    Forwarder<String> f = new Forwarder<>(3, 100);
    for (int i = 0; i < 3; i++) {
      assertNotNull(f.add("c" + i, query(i), List.of(A), 0));
    }
    assertNull(f.add("c3", query(3), List.of(A), 0), "full: the caller answers SERVFAIL");
    assertEquals(3, f.size());
  }

  @Test
  void anAnswerGoesBackWithTheClientsIdOnlyFromTheUpstreamItWasSentTo() {
    Forwarder<String> f = new Forwarder<>(8, 100);
    Forwarder.Pending<String> p = f.add("client", query(0x1234), List.of(A), 0);
    byte[] answer = answerTo(p.query);
    assertNull(f.answered(answer.clone(), B), "from another address: spoofed or late");
    assertNull(f.answered(p.query.clone(), A), "not an answer (QR clear)");
    byte[] fromA = answer.clone();
    assertSame(p, f.answered(fromA, A));
    assertEquals(0x12, fromA[0]);
    assertEquals(0x34, fromA[1]);
    assertNull(f.answered(answer.clone(), A), "answered once");
    assertEquals(0, f.size());
  }

  @Test
  void aSilentUpstreamIsLeftForTheNextThenTheAskerGetsAFailure() {
    Forwarder<String> f = new Forwarder<>(8, 100);
    Forwarder.Pending<String> p = f.add("client", query(7), List.of(A, B), 0);
    List<Forwarder.Pending<String>> retry = new ArrayList<>();
    assertEquals(List.of(), f.expire(99, retry));
    assertEquals(List.of(), retry, "not yet");
    assertEquals(List.of(), f.expire(100, retry));
    assertEquals(List.of(p), retry);
    assertEquals(B, p.upstream());
    assertNull(f.answered(answerTo(p.query), A), "A's late answer is no longer awaited");
    retry.clear();
    assertEquals(List.of(p), f.expire(200, retry), "B was silent too");
    assertArrayEquals(query(7), p.clientQuery(), "SERVFAIL is made from the client's own query");
    assertEquals(0, f.size());
  }

  @Test
  void aGoneClientsQueriesAreForgotten() {
    Forwarder<String> f = new Forwarder<>(8, 100);
    f.add("gone", query(1), List.of(A), 0);
    f.add("stays", query(2), List.of(A), 0);
    f.forget("gone"::equals);
    assertEquals(1, f.size());
  }

  @Test
  void anUpstreamThatCannotBeReachedIsSkippedAtOnce() {
    Forwarder<String> f = new Forwarder<>(8, 100);
    Forwarder.Pending<String> p = f.add("client", query(9), List.of(A, B), 0);
    assertEquals(true, f.moveOn(p, 10));
    assertEquals(B, p.upstream());
    assertEquals(List.of(), f.expire(109, new ArrayList<>()), "B's wait started when A failed");
    assertEquals(false, f.moveOn(p, 20), "none left");
    assertEquals(0, f.size());
  }
}
