package io.netform.dns;

import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One query from one container to what happens to it: an answer from the {@link NameTable}, a
 * forward upstream, or nothing (not a query at all). dnsjava reads and writes the wire format;
 * whatever it cannot read gets FORMERR (or nothing, without a header), never an exception.
 */
public final class Responder {

  /** Answers are not cached: a name follows each apply at once (Docker says 600 s). */
  static final long TTL = 0;
  /** The classic limit of a UDP answer without EDNS (RFC 1035). */
  static final int UDP_PLAIN = 512;
  /** The largest UDP answer sent even when a client offers more (the DNS flag day's 1232 is below it). */
  static final int UDP_MAX = 4096;

  private Responder() {}

  /** What to do with a query. */
  public sealed interface Outcome {}

  /** Send these bytes back to the asker. */
  public record Reply(byte[] wire, int rcode) implements Outcome {}

  /** Send the query upstream, to the first of {@code upstreams} that answers. */
  public record Forward(byte[] query, List<IpAddress> upstreams) implements Outcome {}

  /** Not answered (too short for a header, or not a query). */
  public record Drop() implements Outcome {}

  /** {@code tcp}: the answer may be up to 64 KiB; over UDP it is cut to what the asker can take (with TC set). */
  public static Outcome respond(NameTable table, String asker, byte[] wire, boolean tcp) {
    if (wire.length < 12) {
      return new Drop();
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return formErr(wire);
    }
    if (query.getHeader().getFlag(Flags.QR)) {
      return new Drop(); // an answer sent to the server: never answered, so two servers cannot loop
    }
    Record question = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return reply(query, Rcode.NOTIMP, List.of(), tcp);
    }
    if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) {
      return reply(query, Rcode.FORMERR, List.of(), tcp);
    }
    if (question.getDClass() != DClass.IN) {
      return reply(query, Rcode.REFUSED, List.of(), tcp);
    }
    String name = question.getName().toString(true);
    int type = question.getType();
    NameTable.Answer answer = switch (type) {
      case Type.A -> table.lookup(asker, name, false);
      case Type.AAAA -> table.lookup(asker, name, true);
      case Type.PTR -> reverse(table, asker, question);
      default -> table.lookup(asker, name, false) instanceof NameTable.Forward ? new NameTable.Forward()
          : new NameTable.NoData();
    };
    if (answer instanceof NameTable.Addresses a) {
      return reply(query, Rcode.NOERROR, a.addresses().stream().map(ip -> address(question.getName(), ip)).toList(), tcp);
    }
    if (answer instanceof PtrAnswer p) {
      return reply(query, Rcode.NOERROR, List.of(p.record()), tcp);
    }
    if (answer instanceof NameTable.NoData) {
      return reply(query, Rcode.NOERROR, List.of(), tcp);
    }
    List<IpAddress> upstreams = table.upstreams(asker);
    if (upstreams.isEmpty()) {
      return reply(query, Rcode.SERVFAIL, List.of(), tcp);
    }
    return new Forward(wire, upstreams);
  }

  /** A PTR answer for an address on one of the asker's networks. */
  private record PtrAnswer(Record record) implements NameTable.Answer {}

  private static NameTable.Answer reverse(NameTable table, String asker, Record question) {
    return ptrAddress(question.getName()).flatMap(ip -> table.reverse(asker, ip)).<NameTable.Answer>map(n -> {
      try {
        return new PtrAnswer(new PTRRecord(question.getName(), DClass.IN, TTL, Name.fromString(n + ".")));
      } catch (TextParseException e) {
        return new NameTable.Forward();
      }
    }).orElse(new NameTable.Forward());
  }

  /**
   * The address a reverse name stands for (4.3.2.1.in-addr.arpa → 1.2.3.4), if it is one (dnsjava's
   * ReverseMap). A shorter name is a reverse zone, not an address: ReverseMap would pad it with zeros.
   */
  static java.util.Optional<IpAddress> ptrAddress(Name name) {
    int labels = name.labels() - 1; // without the root
    if (labels != 4 + 2 && labels != 32 + 2) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(IpAddress.fromBytes(ReverseMap.fromName(name).getAddress()));
    } catch (java.net.UnknownHostException notReverse) {
      return java.util.Optional.empty();
    }
  }

  private static Record address(Name name, IpAddress ip) {
    try {
      InetAddress inet = InetAddress.getByAddress(ip.toBytes());
      return ip.isV4() ? new ARecord(name, DClass.IN, TTL, inet) : new AAAARecord(name, DClass.IN, TTL, inet);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("an address of " + ip.toBytes().length + " bytes", e);
    }
  }

  static Reply reply(Message query, int rcode, List<Record> answers, boolean tcp) {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    if (rcode == Rcode.NOERROR) {
      r.getHeader().setFlag(Flags.AA);
    }
    r.getHeader().setOpcode(query.getHeader().getOpcode());
    r.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) {
      r.addRecord(query.getQuestion(), Section.QUESTION);
    }
    answers.forEach(a -> r.addRecord(a, Section.ANSWER));
    OPTRecord opt = query.getOPT();
    int limit = tcp ? 65535 : UDP_PLAIN;
    if (opt != null) {
      r.addRecord(new OPTRecord(UDP_MAX, 0, 0), Section.ADDITIONAL);
      limit = tcp ? 65535 : Math.max(UDP_PLAIN, Math.min(opt.getPayloadSize(), UDP_MAX));
    }
    return new Reply(r.toWire(limit), rcode);
  }

  /** FORMERR with the query's id and opcode, for a query dnsjava cannot read. */
  private static Reply formErr(byte[] wire) {
    byte[] header = Arrays.copyOf(wire, 12);
    header[2] = (byte) ((header[2] & 0x78) | 0x80); // QR set, the opcode kept, AA/TC/RD cleared
    header[3] = (byte) Rcode.FORMERR;
    Arrays.fill(header, 4, 12, (byte) 0);
    return new Reply(header, Rcode.FORMERR);
  }

  /** SERVFAIL for a query that was forwarded and got no answer (all upstreams timed out, or too many waiting). */
  public static byte[] servFail(byte[] query) {
    try {
      return reply(new Message(query), Rcode.SERVFAIL, List.of(), true).wire();
    } catch (IOException e) {
      return formErr(query).wire();
    }
  }
}
