package io.netform.kernel.netlink;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A NETLINK_ROUTE socket. It belongs to the network namespace of the thread that opened it and
 * keeps it afterwards, so a socket opened on a thread that entered a namespace can be used from
 * any thread (the way vishvananda/netlink handles work). Exchanges are serialised per socket: two
 * threads sharing one (the agent's drift repair and a caller's query) would otherwise read each
 * other's replies and wait forever for their own.
 */
public final class NetlinkSocket implements AutoCloseable {

  private static final int RECV_BUFFER = 1 << 20;
  /** The kernel answers requests at once; silence this long means a lost reply, reported rather than waited on. */
  private static final int REPLY_TIMEOUT_SECONDS = 30;

  /**
   * One receive buffer per thread, not per socket: observing 1,000 namespaces opens 1,000
   * sockets, and a fresh megabyte each was a gigabyte of zeroed memory per observation.
   */
  private static final ThreadLocal<byte[]> RECEIVE = ThreadLocal.withInitial(() -> new byte[RECV_BUFFER]);
  /**
   * The kernel writes into native memory, and only the bytes it wrote are copied into the Java
   * array: passing the array itself made jnr-ffi copy the whole megabyte out and back on every
   * receive, which was most of the cost of observing many namespaces.
   */
  private static final ThreadLocal<Pointer> NATIVE_RECEIVE = ThreadLocal.withInitial(
      () -> Memory.allocateDirect(Runtime.getSystemRuntime(), RECV_BUFFER));

  private final LibC libc = LibC.get();
  private final int fd;
  private byte[] receive;
  private int seq = (int) (System.nanoTime() & 0x7fffffff);

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /** Opens a socket in the calling thread's network namespace. */
  public static NetlinkSocket open() {
    LibC libc = LibC.get();
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
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
   * Waits for notifications; returns how many arrived (0 when the receive timeout passed). An
   * overrun (ENOBUFS: events were lost) counts as one, since the caller re-reads everything anyway.
   */
  public int awaitEvents() {
    long n = receiveInto();
    if (n < 0) {
      int e = LibC.errno();
      if (e == Errno.EAGAIN || e == Errno.EINTR) {
        return 0;
      }
      if (e == Errno.ENOBUFS) {
        return 1;
      }
      throw new NetlinkException(e, "receiving netlink events", null);
    }
    return Math.max(1, receiveCount((int) n));
  }

  /** {@link #pollEvent()}: nothing queued. */
  public static final int NO_EVENT = -3;
  /** {@link #pollEvent()}: the socket overran and events were lost; everything may have changed. */
  public static final int EVENTS_LOST = -2;
  /** {@link #pollEvent()}: an event from the socket's own namespace. */
  public static final int THIS_NAMESPACE = -1;

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
   * (null: only the origin is wanted, and the datagram is not copied or parsed).
   */
  public synchronized int pollEvent(Consumer<Message> sink) {
    EventBuffers b = EVENT_BUFFERS.get();
    // struct msghdr (x86-64/arm64 LP64): name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad)
    b.msghdr.putLong(0, 0);
    b.msghdr.putLong(8, 0);
    b.msghdr.putAddress(16, b.iovec.address());
    b.msghdr.putLong(24, 1);
    b.msghdr.putAddress(32, b.control.address());
    b.msghdr.putLong(40, CONTROL_BYTES);
    b.msghdr.putLong(48, 0);
    b.iovec.putAddress(0, b.data.address());
    b.iovec.putLong(8, EVENT_BYTES);
    long n = libc.recvmsg(fd, b.msghdr, LibC.MSG_DONTWAIT);
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
    long controlLength = b.msghdr.getLong(40);
    // struct cmsghdr: len (size_t), level (int), type (int), data
    for (long at = 0; at + 16 <= controlLength; ) {
      long len = b.control.getLong(at);
      int level = b.control.getInt(at + 8);
      int type = b.control.getInt(at + 12);
      if (len < 16) {
        break;
      }
      if (level == LibC.SOL_NETLINK && type == LibC.NETLINK_LISTEN_ALL_NSID) {
        return b.control.getInt(at + 16);
      }
      at += (len + 7) & ~7L;
    }
    if (sink != null) {
      int length = (int) Math.min(n, EVENT_BYTES);
      byte[] bytes = new byte[length];
      b.data.get(0, bytes, 0, length);
      parse(bytes, length).forEach(sink);
    }
    return THIS_NAMESPACE;
  }

  private static final int EVENT_BYTES = 64 << 10;
  private static final int CONTROL_BYTES = 64;

  /** Native memory for event receives: the header, the datagram and the ancillary data naming its namespace. */
  private static final class EventBuffers {
    final Pointer msghdr = Memory.allocateDirect(Runtime.getSystemRuntime(), 56);
    final Pointer iovec = Memory.allocateDirect(Runtime.getSystemRuntime(), 16);
    final Pointer control = Memory.allocateDirect(Runtime.getSystemRuntime(), CONTROL_BYTES);
    final Pointer data = Memory.allocateDirect(Runtime.getSystemRuntime(), EVENT_BYTES);
  }

  private static final ThreadLocal<EventBuffers> EVENT_BUFFERS = ThreadLocal.withInitial(EventBuffers::new);

  private int receiveCount(int n) {
    int count = 0;
    int p = 0;
    while (p + Nl.HEADER <= n) {
      int len = le32(receive, p);
      if (len < Nl.HEADER) {
        break;
      }
      count++;
      p += Nl.align(len);
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

  /** One datagram into {@link #receive}; returns its length, or -1 with errno set. */
  private long receiveInto() {
    receive = RECEIVE.get();
    Pointer buffer = NATIVE_RECEIVE.get();
    long n = libc.recv(fd, buffer, RECV_BUFFER, 0);
    if (n > 0) {
      buffer.get(0, receive, 0, (int) Math.min(n, RECV_BUFFER));
    }
    return n;
  }

  private List<Message> receiveBatch() {
    long n;
    do {
      n = receiveInto();
    } while (n < 0 && LibC.errno() == Errno.EINTR);
    if (n < 0) {
      int e = LibC.errno();
      String what = e == Errno.ENOBUFS ? "receiving from netlink (socket buffer overrun)"
          : e == Errno.EAGAIN ? "receiving from netlink (no reply within " + REPLY_TIMEOUT_SECONDS + " s)"
          : "receiving from netlink";
      throw new NetlinkException(e, what, null);
    }
    return parse(receive, (int) n);
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
