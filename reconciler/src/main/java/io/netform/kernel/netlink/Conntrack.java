package io.netform.kernel.netlink;

import io.netform.kernel.ffi.Errno;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection tracker of one network namespace through ctnetlink (a NETLINK_NETFILTER socket
 * opened in that namespace): its connections of one address family, and deleting chosen ones.
 * Values inside ctnetlink's attributes are in network byte order.
 */
public final class Conntrack {

  // linux/netfilter/nfnetlink_conntrack.h
  /** What a dump answers each connection with. */
  private static final int NEW = 0;
  private static final int GET = 1;
  private static final int DELETE = 2;
  private static final int TUPLE_ORIG = 1;
  private static final int TUPLE_REPLY = 2;
  private static final int STATUS = 3;
  private static final int ID = 12;
  private static final int ZONE = 18;
  private static final int TUPLE_IP = 1;
  private static final int TUPLE_PROTO = 2;
  private static final int IP_V4_SRC = 1;
  private static final int IP_V4_DST = 2;
  private static final int IP_V6_SRC = 3;
  private static final int IP_V6_DST = 4;
  private static final int PROTO_NUM = 1;
  private static final int PROTO_SRC_PORT = 2;
  private static final int PROTO_DST_PORT = 3;
  private static final int FILTER = 25;
  private static final int FILTER_ORIG_FLAGS = 1;
  private static final int FILTER_REPLY_FLAGS = 2;
  /** CTA_FILTER_FLAG(CTA_IP_SRC) and the others: which fields of a filter's tuple must match. */
  private static final int MATCH_IP_SRC = 1;
  private static final int MATCH_IP_DST = 1 << 1;
  private static final int MATCH_PROTO_NUM = 1 << 3;
  private static final int MATCH_PROTO_SRC_PORT = 1 << 4;
  private static final int MATCH_PROTO_DST_PORT = 1 << 5;
  /** Deletions sent per system call: their acks must fit the socket's receive buffer. */
  private static final int BATCH = 512;

  private static final Pattern RELEASE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

  private final NetlinkSocket socket;

  /** {@code socket}: NETLINK_NETFILTER, opened in the namespace whose connections are meant. */
  public Conntrack(NetlinkSocket socket) {
    this.socket = socket;
  }

  /** Every tracked connection of {@code family}. */
  public List<TrackedConnection> connections(IpAddress.Family family) {
    return dump(request(GET, Nl.F_DUMP, family), "reading the tracked connections");
  }

  /**
   * The tracked connections {@code filter} selects, chosen by the kernel: the table is walked
   * there and only these come back. A kernel before 5.8 ignores the filter and gives every
   * connection of the family; one that knows it but cannot apply it refuses it (EINVAL,
   * EOPNOTSUPP), as it does a filter on fields it does not support. The kernel is asked for
   * {@link #asked}{@code (wanted)}.
   */
  public List<TrackedConnection> connections(ConnectionFilter wanted) {
    ConnectionFilter filter = asked(wanted);
    MessageBuilder request = request(GET, Nl.F_DUMP, filter.family());
    boolean v4 = filter.family() == IpAddress.Family.V4;
    // The kernel matches ports only together with the protocol, in each direction that has them.
    int originalFlags = tuple(request, TUPLE_ORIG, filter.original(), filter.protocol(), v4, filter.reply().isAny());
    int replyFlags = filter.reply().isAny() ? 0 : tuple(request, TUPLE_REPLY, filter.reply(), filter.protocol(), v4, false);
    request.beginNested(FILTER);
    request.attrU32(FILTER_ORIG_FLAGS, originalFlags);
    request.attrU32(FILTER_REPLY_FLAGS, replyFlags);
    request.endNested();
    return dump(request, "reading the tracked connections a filter selects");
  }

  private List<TrackedConnection> dump(MessageBuilder request, String operation) {
    List<TrackedConnection> out = new ArrayList<>();
    for (Message m : Nfnetlink.dump(socket, request, Nfnetlink.CTNETLINK, NEW, operation)) {
      read(m).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Writes a filter's tuple {@code attribute}; returns the flags naming its fields. The protocol
   * goes into it where it has a field or {@code carriesProtocol}.
   */
  private static int tuple(MessageBuilder m, int attribute, ConnectionFilter.Ends ends, int protocol, boolean v4,
      boolean carriesProtocol) {
    int flags = 0;
    m.beginNested(attribute);
    if (ends.source().isPresent() || ends.destination().isPresent()) {
      m.beginNested(TUPLE_IP);
      if (ends.source().isPresent()) {
        m.attr(v4 ? IP_V4_SRC : IP_V6_SRC, ends.source().get().toBytes());
        flags |= MATCH_IP_SRC;
      }
      if (ends.destination().isPresent()) {
        m.attr(v4 ? IP_V4_DST : IP_V6_DST, ends.destination().get().toBytes());
        flags |= MATCH_IP_DST;
      }
      m.endNested();
    }
    if (protocol != 0 && (!ends.isAny() || carriesProtocol)) {
      m.beginNested(TUPLE_PROTO);
      m.attrU8(PROTO_NUM, protocol);
      flags |= MATCH_PROTO_NUM;
      if (ends.sourcePort() != 0) {
        m.attrBe16(PROTO_SRC_PORT, ends.sourcePort());
        flags |= MATCH_PROTO_SRC_PORT;
      }
      if (ends.destinationPort() != 0) {
        m.attrBe16(PROTO_DST_PORT, ends.destinationPort());
        flags |= MATCH_PROTO_DST_PORT;
      }
      m.endNested();
    }
    m.endNested();
    return flags;
  }

  /**
   * What the kernel is asked for to get {@code wanted}: the same, but for IPv6 addresses, which
   * it compares inverted (ctnetlink_filter_match_tuple takes {@code !ipv6_addr_cmp}, true for
   * equal addresses, as a mismatch; so on 6.18 still, StaleConnectionFilterTest): an IPv6 filter
   * selects by protocol and ports alone, a superset, and one on addresses alone everything.
   */
  public static ConnectionFilter asked(ConnectionFilter wanted) {
    return wanted.family() == IpAddress.Family.V6 ? wanted.withoutAddresses() : wanted;
  }

  /**
   * Whether a kernel of {@code release} (uname's) applies a dump's filter as asked: 5.8 brought
   * it, and before 5.15 a filter on the reply tuple was read with the original tuple's flags, so
   * it selected too little (fixed by "netfilter: ctnetlink: fix filtering with CTA_TUPLE_REPLY").
   */
  public static boolean filtersReliably(String release) {
    Matcher m = RELEASE.matcher(release == null ? "" : release);
    if (!m.lookingAt()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    return major > 5 || major == 5 && Integer.parseInt(m.group(2)) >= 15;
  }

  /**
   * Deletes these connections (as {@link #connections} read them); one that ended meanwhile is no
   * error. Returns how many the kernel deleted.
   */
  public int delete(List<TrackedConnection> connections) {
    int deleted = 0;
    for (int from = 0; from < connections.size(); from += BATCH) {
      List<TrackedConnection> chunk = connections.subList(from, Math.min(connections.size(), from + BATCH));
      List<MessageBuilder> requests = chunk.stream().map(Conntrack::deletion).toList();
      NetlinkException[] failures = socket.executeEach(requests,
          Collections.nCopies(requests.size(), "deleting a tracked connection"));
      for (NetlinkException failure : failures) {
        if (failure == null) {
          deleted++;
        } else if (failure.errno() != Errno.ENOENT) {
          throw failure;
        }
      }
    }
    return deleted;
  }

  /** The original tuple names the entry (never left out: a deletion without one flushes the table). */
  private static MessageBuilder deletion(TrackedConnection c) {
    MessageBuilder m = request(DELETE, Nl.F_ACK, c.family());
    m.beginNested(TUPLE_ORIG);
    m.beginNested(TUPLE_IP);
    boolean v4 = c.family() == IpAddress.Family.V4;
    m.attr(v4 ? IP_V4_SRC : IP_V6_SRC, c.original().source().toBytes());
    m.attr(v4 ? IP_V4_DST : IP_V6_DST, c.original().destination().toBytes());
    m.endNested();
    m.beginNested(TUPLE_PROTO);
    m.attrU8(PROTO_NUM, c.protocol());
    if (c.protocol() == TrackedConnection.TCP || c.protocol() == TrackedConnection.UDP) {
      m.attrBe16(PROTO_SRC_PORT, c.original().sourcePort());
      m.attrBe16(PROTO_DST_PORT, c.original().destinationPort());
    }
    m.endNested();
    m.endNested();
    m.attr(ID, be32(c.id()));
    if (c.zone() != 0) {
      m.attrBe16(ZONE, c.zone());
    }
    return m;
  }

  private static MessageBuilder request(int message, int flags, IpAddress.Family family) {
    return Nfnetlink.request(Nfnetlink.CTNETLINK, message, flags, family == IpAddress.Family.V4 ? Nl.AF_INET : Nl.AF_INET6);
  }

  /** A dumped entry; empty for one without the attributes a connection of addresses has. */
  private static Optional<TrackedConnection> read(Message m) {
    Map<Integer, byte[]> a = Nfnetlink.attributes(m);
    Map<Integer, byte[]> original = Message.nested(a.get(TUPLE_ORIG));
    Map<Integer, byte[]> reply = Message.nested(a.get(TUPLE_REPLY));
    Map<Integer, byte[]> proto = Message.nested(original.get(TUPLE_PROTO));
    TrackedConnection.Tuple o = tuple(original);
    TrackedConnection.Tuple r = tuple(reply);
    byte[] number = proto.get(PROTO_NUM);
    if (o == null || r == null || number == null) {
      return Optional.empty();
    }
    return Optional.of(new TrackedConnection(number[0] & 0xff, o, r, (int) unsigned(a.get(STATUS)),
        unsigned(a.get(ID)), (int) unsigned(a.get(ZONE))));
  }

  private static TrackedConnection.Tuple tuple(Map<Integer, byte[]> tuple) {
    Map<Integer, byte[]> ip = Message.nested(tuple.get(TUPLE_IP));
    Map<Integer, byte[]> proto = Message.nested(tuple.get(TUPLE_PROTO));
    byte[] source = ip.containsKey(IP_V4_SRC) ? ip.get(IP_V4_SRC) : ip.get(IP_V6_SRC);
    byte[] destination = ip.containsKey(IP_V4_DST) ? ip.get(IP_V4_DST) : ip.get(IP_V6_DST);
    if (source == null || destination == null) {
      return null;
    }
    return new TrackedConnection.Tuple(IpAddress.fromBytes(source), (int) unsigned(proto.get(PROTO_SRC_PORT)),
        IpAddress.fromBytes(destination), (int) unsigned(proto.get(PROTO_DST_PORT)));
  }

  /** A big-endian unsigned value of 1 to 4 bytes; 0 when absent. */
  private static long unsigned(byte[] v) {
    long out = 0;
    if (v != null) {
      for (byte b : v) {
        out = out << 8 | (b & 0xff);
      }
    }
    return out;
  }

  private static byte[] be32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
