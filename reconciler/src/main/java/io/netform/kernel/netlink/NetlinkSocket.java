package io.netform.kernel.netlink;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.kernel.ffi.NativeBuffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * A netlink socket, NETLINK_ROUTE unless opened for another family. It belongs to the network
 * namespace of the thread that opened it and keeps it afterwards, so a socket opened on a thread
 * that entered a namespace can be used from any thread (the way vishvananda/netlink handles
 * work). Exchanges are serialised per socket: two threads sharing one (the agent's drift repair
 * and a caller's query) would otherwise read each other's replies and wait forever for their own.
 */
public final class NetlinkSocket implements AutoCloseable {

  /** The kernel answers requests at once; silence this long means a lost reply, reported rather than waited on. */
  private static final int REPLY_TIMEOUT_SECONDS = 30;

  private final LibC libc = LibC.get();
  private final int fd;
  private int seq = (int) (System.nanoTime() & 0x7fffffff);

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /** Opens a socket in the calling thread's network namespace. */
  public static NetlinkSocket open() {
    return open(LibC.NETLINK_ROUTE);
  }

  /** Opens a socket of another netlink family (e.g. NETLINK_NETFILTER) in the calling thread's namespace. */
  public static NetlinkSocket open(int protocol) {
    LibC libc = LibC.get();
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new NetlinkException(LibC.errno(), "opening a netlink socket", null);
    }
    NetlinkSocket s = new NetlinkSocket(fd);
    s.option(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
    s.option(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1);
    s.option(LibC.SOL_NETLINK, LibC.NETLINK_GET_STRICT_CHK, 1);
    s.option(LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4 << 20);
    s.option(LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4 << 20);
    s.receiveTimeout(REPLY_TIMEOUT_SECONDS * 1000);
    byte[] sockaddr = new byte[12];
    sockaddr[0] = (byte) LibC.AF_NETLINK;
    if (libc.bind(fd, sockaddr, sockaddr.length) < 0) {
      int e = LibC.errno();
      libc.close(fd);
      throw new NetlinkException(e, "binding a netlink socket", null);
    }
    return s;
  }

  private void receiveTimeout(int millis) {
    // struct timeval on 64-bit Linux: two longs, little-endian
    libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, new int[] {millis / 1000, 0, (millis % 1000) * 1000, 0}, 16);
  }

  private void option(int level, int name, int value) {
    libc.setsockopt(fd, level, name, new int[] {value}, 4); // best effort: older kernels lack some options
  }

  /** RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE */
  private static final int ROUTE_CHANGE_GROUPS = 0x1 | 0x10 | 0x40 | 0x100 | 0x400;
  /** NFNLGRP_NFTABLES (7) as a bind-time group mask: every nftables change, iptables-nft's included. */
  private static final int NFTABLES_GROUP = 1 << (7 - 1);

  /**
   * Notifications of link, address and route changes in the calling thread's namespace and in
   * every namespace that has an id there, with a receive timeout so a reader can stop.
   */
  public static NetlinkSocket subscribeRouteChanges(int timeoutMillis) {
    return subscribe(LibC.NETLINK_ROUTE, ROUTE_CHANGE_GROUPS, timeoutMillis);
  }

  /**
   * nftables' announcements of rule changes in the calling thread's namespace (iptables-nft's
   * included; iptables-legacy announces nothing); empty where netfilter's netlink is unavailable.
   */
  public static Optional<NetlinkSocket> subscribeFirewallChanges(int timeoutMillis) {
    try {
      return Optional.of(subscribe(LibC.NETLINK_NETFILTER, NFTABLES_GROUP, timeoutMillis));
    } catch (NetlinkException e) {
      return Optional.empty();
    }
  }

  /**
   * A socket bound to the multicast {@code groups} of a netlink family, listening to every
   * namespace that has an id here.
   */
  private static NetlinkSocket subscribe(int protocol, int groups, int timeoutMillis) {
    LibC libc = LibC.get();
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new NetlinkException(LibC.errno(), "opening a netlink event socket", null);
    }
    NetlinkSocket s = new NetlinkSocket(fd);
    s.option(LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4 << 20);
    s.option(LibC.SOL_NETLINK, LibC.NETLINK_LISTEN_ALL_NSID, 1);
    s.receiveTimeout(timeoutMillis);
    byte[] sockaddr = new byte[12];
    sockaddr[0] = (byte) LibC.AF_NETLINK;
    sockaddr[8] = (byte) groups;
    sockaddr[9] = (byte) (groups >>> 8);
    sockaddr[10] = (byte) (groups >>> 16);
    sockaddr[11] = (byte) (groups >>> 24);
    if (libc.bind(fd, sockaddr, sockaddr.length) < 0) {
      int e = LibC.errno();
      libc.close(fd);
      throw new NetlinkException(e, "subscribing to netlink events", null);
    }
    return s;
  }

  /**
   * Waits for notifications; returns how many arrived that are not {@link EventNoise} (0 when the
   * receive timeout passed). An overrun (ENOBUFS: events were lost) counts as one, since the caller
   * re-reads everything anyway.
   */
  public int awaitEvents() {
    Received r = receiveOnce();
    if (r.bytes() == null) {
      int e = r.errno();
      if (e == Errno.EAGAIN || e == Errno.EINTR) {
        return 0;
      }
      if (e == Errno.ENOBUFS) {
        return 1;
      }
      throw new NetlinkException(e, "receiving netlink events", null);
    }
    return relevant(r.bytes());
  }

  /** {@link #pollEvent()}: nothing queued. */
  public static final int NO_EVENT = -3;
  /** {@link #pollEvent()}: the socket overran and events were lost; everything may have changed. */
  public static final int EVENTS_LOST = -2;
  /** {@link #pollEvent()}: an event from the socket's own namespace. */
  public static final int THIS_NAMESPACE = -1;
  /** {@link #pollEvent(Consumer)}: an event from another namespace that is nothing but {@link EventNoise}. */
  public static final int ONLY_NOISE = -4;

  /**
   * Takes one queued notification without waiting and tells where it came from: the namespace id
   * (as this namespace numbers it) that the kernel attaches to events of other namespaces on a
   * socket listening to all of them, or one of {@link #NO_EVENT}, {@link #EVENTS_LOST},
   * {@link #THIS_NAMESPACE}.
   */
  public synchronized int pollEvent() {
    return pollEvent(null);
  }

  /**
   * As {@link #pollEvent()}, and hands the messages of an event from this namespace to {@code sink}
   * (null: only the origin is wanted, and the datagram is not copied or parsed); with a sink, an
   * event from another namespace made only of {@link EventNoise} is {@link #ONLY_NOISE}.
   */
  public synchronized int pollEvent(Consumer<Message> sink) {
    NativeBuffer buffer = ReceiveBuffers.take();
    try {
      return pollEvent(buffer.pointer(), sink);
    } finally {
      ReceiveBuffers.give(buffer);
    }
  }

  // Where pollEvent lays out its receive in a lent buffer: the header, one iovec, the ancillary
  // data naming the event's namespace, and the datagram.
  private static final int IOVEC = 64;
  private static final int CONTROL = 128;
  private static final int CONTROL_BYTES = 64;
  private static final int DATA = 4096;
  private static final int EVENT_BYTES = 64 << 10;

  private int pollEvent(Pointer b, Consumer<Message> sink) {
    long base = b.address();
    // struct msghdr (x86-64/arm64 LP64) at 0: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad)
    b.putLong(0, 0);
    b.putLong(8, 0);
    b.putAddress(16, base + IOVEC);
    b.putLong(24, 1);
    b.putAddress(32, base + CONTROL);
    b.putLong(40, CONTROL_BYTES);
    b.putLong(48, 0);
    b.putAddress(IOVEC, base + DATA);
    b.putLong(IOVEC + 8, EVENT_BYTES);
    long n = libc.recvmsg(fd, b, LibC.MSG_DONTWAIT);
    if (n < 0) {
      int e = LibC.errno();
      if (e == Errno.EAGAIN || e == Errno.EINTR) {
        return NO_EVENT;
      }
      if (e == Errno.ENOBUFS) {
        return EVENTS_LOST;
      }
      throw new NetlinkException(e, "receiving netlink events", null);
    }
    long controlLength = b.getLong(40);
    // struct cmsghdr: len (size_t), level (int), type (int), data
    for (long at = 0; at + 16 <= controlLength; ) {
      long len = b.getLong(CONTROL + at);
      int level = b.getInt(CONTROL + at + 8);
      int type = b.getInt(CONTROL + at + 12);
      if (len < 16) {
        break;
      }
      if (level == LibC.SOL_NETLINK && type == LibC.NETLINK_LISTEN_ALL_NSID) {
        int origin = b.getInt(CONTROL + at + 16);
        return sink != null && relevant(received(b, n)) == 0 ? ONLY_NOISE : origin;
      }
      at += (len + 7) & ~7L;
    }
    if (sink != null) {
      byte[] bytes = received(b, n);
      parse(bytes, bytes.length).forEach(sink);
    }
    return THIS_NAMESPACE;
  }

  private static byte[] received(Pointer b, long n) {
    byte[] bytes = new byte[(int) Math.min(n, EVENT_BYTES)];
    b.get(DATA, bytes, 0, bytes.length);
    return bytes;
  }

  /** How many of one datagram's messages are not {@link EventNoise}. */
  private static int relevant(byte[] datagram) {
    int count = 0;
    for (Message m : parse(datagram, datagram.length)) {
      if (!EventNoise.isNoise(m)) {
        count++;
      }
    }
    return count;
  }

  public synchronized int nextSeq() {
    return ++seq;
  }

  /** Sends one request that the kernel acknowledges; throws on a negative ack. */
  public void execute(MessageBuilder message, String operation) {
    executeAll(List.of(message), List.of(operation));
  }

  /**
   * Sends several acknowledged requests in one system call and waits for every ack. All requests
   * are attempted; the first failure (in request order) is thrown after all acks are read.
   */
  public synchronized void executeAll(List<MessageBuilder> messages, List<String> operations) {
    for (NetlinkException failure : executeEach(messages, operations)) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * Sends several acknowledged requests in one system call and waits for every ack; returns, per
   * request, the kernel's refusal or null.
   */
  public synchronized NetlinkException[] executeEach(List<MessageBuilder> messages, List<String> operations) {
    NetlinkException[] failures = new NetlinkException[messages.size()];
    if (messages.isEmpty()) {
      return failures;
    }
    int first = seq + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (MessageBuilder m : messages) {
      out.writeBytes(m.build(nextSeq()));
    }
    send(out.toByteArray());
    int pending = messages.size();
    while (pending > 0) {
      for (Message m : receiveBatch()) {
        if (m.type() != Nl.NLMSG_ERROR) {
          continue;
        }
        int index = m.seq() - first;
        if (index < 0 || index >= messages.size()) {
          continue; // a stale reply from an earlier, interrupted exchange
        }
        pending--;
        int error = -m.i32(0);
        if (error != 0) {
          failures[index] = new NetlinkException(error, operations.get(index), extAck(m));
        }
      }
    }
    return failures;
  }

  /** A single-answer request (e.g. RTM_GETLINK by name): the reply, or the kernel's error. */
  public synchronized Message get(MessageBuilder request, String operation) {
    int mySeq = nextSeq();
    send(request.build(mySeq));
    while (true) {
      for (Message m : receiveBatch()) {
        if (m.seq() != mySeq) {
          continue;
        }
        if (m.type() == Nl.NLMSG_ERROR) {
          throw new NetlinkException(-m.i32(0), operation, extAck(m));
        }
        return m;
      }
    }
  }

  /**
   * Dumps (e.g. RTM_GETLINK with NLM_F_DUMP). A dump the kernel marks interrupted is read again,
   * and never fails an operation: see {@link InterruptedDumps}.
   */
  public synchronized List<Message> dump(MessageBuilder request, String operation) {
    return InterruptedDumps.read(() -> dumpOnce(request, operation), NetlinkSocket::pause, operation);
  }

  private InterruptedDumps.Attempt dumpOnce(MessageBuilder request, String operation) {
    int mySeq = nextSeq();
    send(request.build(mySeq));
    List<Message> out = new ArrayList<>();
    boolean interrupted = false;
    while (true) {
      for (Message m : receiveBatch()) {
        if (m.seq() != mySeq) {
          continue;
        }
        if ((m.flags() & Nl.F_DUMP_INTR) != 0) {
          interrupted = true;
        }
        if (m.type() == Nl.NLMSG_DONE) {
          return new InterruptedDumps.Attempt(out, interrupted);
        }
        if (m.type() == Nl.NLMSG_ERROR) {
          int error = -m.i32(0);
          if (error != 0) {
            throw new NetlinkException(error, operation, extAck(m));
          }
          return new InterruptedDumps.Attempt(out, interrupted);
        }
        out.add(m);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to read the host again", e);
    }
  }

  private void send(byte[] bytes) {
    byte[] kernel = new byte[12];
    kernel[0] = (byte) LibC.AF_NETLINK;
    long sent = libc.sendto(fd, bytes, bytes.length, 0, kernel, kernel.length);
    if (sent < 0) {
      throw new NetlinkException(LibC.errno(), "sending a netlink request", null);
    }
  }

  /** One datagram, or no bytes and the errno of the failed receive. */
  private record Received(byte[] bytes, int errno) {}

  /** Receives one datagram through a lent native buffer and copies out only the bytes the kernel wrote. */
  private Received receiveOnce() {
    NativeBuffer buffer = ReceiveBuffers.take();
    try {
      long n = libc.recv(fd, buffer.pointer(), ReceiveBuffers.SIZE, 0);
      if (n < 0) {
        return new Received(null, LibC.errno());
      }
      byte[] bytes = new byte[(int) n];
      buffer.pointer().get(0, bytes, 0, bytes.length);
      return new Received(bytes, 0);
    } finally {
      ReceiveBuffers.give(buffer);
    }
  }

  private List<Message> receiveBatch() {
    Received r;
    do {
      r = receiveOnce();
    } while (r.bytes() == null && r.errno() == Errno.EINTR);
    if (r.bytes() == null) {
      int e = r.errno();
      String what = e == Errno.ENOBUFS ? "receiving from netlink (socket buffer overrun)"
          : e == Errno.EAGAIN ? "receiving from netlink (no reply within " + REPLY_TIMEOUT_SECONDS + " s)"
          : "receiving from netlink";
      throw new NetlinkException(e, what, null);
    }
    return parse(r.bytes(), r.bytes().length);
  }

  /** The messages in one datagram of {@code n} bytes. */
  static List<Message> parse(byte[] buf, int n) {
    List<Message> out = new ArrayList<>();
    int p = 0;
    while (p + Nl.HEADER <= n) {
      int len = le32(buf, p);
      if (len < Nl.HEADER || p + len > n) {
        break;
      }
      int type = (buf[p + 4] & 0xff) | (buf[p + 5] & 0xff) << 8;
      int flags = (buf[p + 6] & 0xff) | (buf[p + 7] & 0xff) << 8;
      int s = le32(buf, p + 8);
      byte[] payload = new byte[len - Nl.HEADER];
      System.arraycopy(buf, p + Nl.HEADER, payload, 0, payload.length);
      out.add(new Message(type, flags, s, payload));
      p += Nl.align(len);
    }
    return out;
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  /** The kernel's extended-ack text; with NETLINK_CAP_ACK the error carries only the request header. */
  private static String extAck(Message m) {
    if ((m.flags() & Nl.F_ACK_TLVS) == 0) {
      return null;
    }
    int attrsAt = 4 + Nl.HEADER;
    return Message.string(Message.parseAttributes(m.payload(), attrsAt, m.payload().length).get(Nl.NLMSGERR_ATTR_MSG));
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
