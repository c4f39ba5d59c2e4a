package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.desired.NameSettings;
import io.netform.names.NameRecord;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** One query in, one outcome out: answers, forwards, and no exception for anything a client can send. */
class ResponderTest {

  /** "big" answers with 100 addresses (more than 512 bytes of A records). */
  private static final NameTable TABLE = table();

  private static NameTable table() {
    List<NameRecord> records = new ArrayList<>();
    records.add(new NameRecord("asker", true, List.of(new NameRecord.Endpoint("n",
        Optional.of(IpAddress.parse("10.0.0.1")), Optional.empty(), List.of(), true)), NameSettings.NONE));
    for (int i = 0; i < 100; i++) {
      records.add(new NameRecord("c" + i, true, List.of(new NameRecord.Endpoint("n",
          Optional.of(IpAddress.parse("10.0.1." + (i + 1))), Optional.empty(), List.of("big"), true)), NameSettings.NONE));
    }
    return NameTable.of(records, List.of(IpAddress.parse("192.0.2.53")));
  }

  private static byte[] query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
  }

  private static Message reply(Responder.Outcome o) throws Exception {
    return new Message(assertInstanceOf(Responder.Reply.class, o).wire());
  }

  @Test
  void aContainerNameIsAnsweredAndOthersForwarded() throws Exception {
    Message r = reply(Responder.respond(TABLE, "asker", query("c7.", Type.A), false));
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertEquals("10.0.1.8", r.getSection(Section.ANSWER).get(0).rdataToString());
    assertTrue(r.getHeader().getFlag(Flags.AA));
    Responder.Forward f = assertInstanceOf(Responder.Forward.class,
        Responder.respond(TABLE, "asker", query("example.org.", Type.A), false));
    assertEquals(List.of(IpAddress.parse("192.0.2.53")), f.upstreams());
    assertEquals(Rcode.NOERROR, reply(Responder.respond(TABLE, "asker", query("c7.", Type.MX), false)).getRcode(),
        "another type for a container's name: no data, not forwarded");
  }

  @Test
  void anAnswerTooLargeForUdpIsTruncatedUnlessTheAskerOffersMore() throws Exception {
    Message plain = reply(Responder.respond(TABLE, "asker", query("big.", Type.A), false));
    assertTrue(plain.getHeader().getFlag(Flags.TC), "over 512 bytes without EDNS: TC, the client retries over TCP");
    assertEquals(100, reply(Responder.respond(TABLE, "asker", query("big.", Type.A), true))
        .getSection(Section.ANSWER).size(), "over TCP: all of it");
    Message q = Message.newQuery(Record.newRecord(Name.fromString("big."), Type.A, DClass.IN));
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message edns = reply(Responder.respond(TABLE, "asker", q.toWire(), false));
    assertEquals(100, edns.getSection(Section.ANSWER).size(), "EDNS offers 4096 bytes");
  }

  @Test
  void answersAndShortPacketsAreDroppedAndGarbageGetsFormErr() throws Exception {
    byte[] answer = query("c7.", Type.A);
    answer[2] |= (byte) 0x80;
    assertInstanceOf(Responder.Drop.class, Responder.respond(TABLE, "asker", answer, false), "never answer an answer");
    assertInstanceOf(Responder.Drop.class, Responder.respond(TABLE, "asker", new byte[11], false));
    byte[] garbage = query("c7.", Type.A);
    garbage[5] = 9; // nine questions announced, one present
    Message r = reply(Responder.respond(TABLE, "asker", garbage, false));
    assertEquals(Rcode.FORMERR, r.getRcode());
    assertEquals(((garbage[0] & 0xff) << 8) | (garbage[1] & 0xff), r.getHeader().getID(), "with the asker's id");
  }

  /**
   * Whatever bytes arrive, no exception escapes to the server's loop, and the outcome keeps the
   * rules: a packet without a whole header is dropped, and a reply carries the asker's id.
   */
  @Property(tries = 2000)
  void anyBytesGetAnOutcome(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] wire = new byte[random.nextInt(600)];
    random.nextBytes(wire);
    if (wire.length > 2 && random.nextBoolean()) {
      wire[2] &= 0x7f; // mostly queries, so the parser gets past the header
    }
    Responder.Outcome o = Responder.respond(TABLE, "asker", wire, random.nextBoolean());
    if (wire.length < 12) {
      assertInstanceOf(Responder.Drop.class, o, "no header: never answered");
    } else if (o instanceof Responder.Reply r) {
      assertTrue(r.wire()[0] == wire[0] && r.wire()[1] == wire[1], "a reply carries the asker's id");
    }
  }
}
