package io.netform.dns;

import io.netform.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS: one selector thread over the sockets it holds in every namespace it serves,
 * plus one socket in the host's namespace for forwarding. A query about a container is answered at
 * once from the current {@link NameTable}; others go upstream and wait in a bounded table
 * ({@link Forwarder}), so a slow upstream never holds up an answer about a container. Everything a
 * client can make it hold is bounded: waiting forwards, TCP connections (each with one message
 * buffer and a capped queue of answers), and the packets read per socket per turn.
 */
public final class DnsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);

  static final int MAX_PENDING = 4096;
  static final long UPSTREAM_TIMEOUT_NANOS = 2_000_000_000L;
  static final int MAX_TCP_PER_NAMESPACE = 16;
  static final int MAX_TCP = 1024;
  static final long TCP_IDLE_NANOS = 10_000_000_000L;
  static final int MAX_TCP_QUEUED_BYTES = 256 * 1024;
  /** Datagrams read from one socket before the others get a turn: a flood in one namespace cannot starve the rest. */
  static final int READS_PER_TURN = 64;
  private static final long TICK_MILLIS = 50;

  /** Counts, for logs, tests and the benchmark. */
  public static final class Counters {
    public final AtomicLong answered = new AtomicLong();
    public final AtomicLong forwarded = new AtomicLong();
    public final AtomicLong upstreamFailed = new AtomicLong();
    public final AtomicLong malformed = new AtomicLong();
    public final AtomicLong refusedConnections = new AtomicLong();
  }

  /** Where an answer goes: a UDP client (socket and address) or a TCP connection. */
  private sealed interface Client permits UdpClient, TcpConnection {}

  private record UdpClient(DatagramChannel channel, SocketAddress address) implements Client {}

  private final class TcpConnection implements Client {
    final String asker;
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocate(2 + 65535);
    final java.util.ArrayDeque<ByteBuffer> out = new java.util.ArrayDeque<>();
    int queued;
    long lastActive = System.nanoTime();
    SelectionKey key;

    TcpConnection(String asker, SocketChannel channel) {
      this.asker = asker;
      this.channel = channel;
    }
  }

  /** What a served namespace's keys carry: whose sockets they are. */
  private record Served(NamespaceSockets.Bound sockets, Set<TcpConnection> connections) {}

  private final Selector selector;
  private final DatagramChannel upstream;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Map<String, Served> served = new HashMap<>();
  private final Set<TcpConnection> connections = new HashSet<>();
  private final Forwarder<Client> forwarder = new Forwarder<>(MAX_PENDING, UPSTREAM_TIMEOUT_NANOS);
  private final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
  private final Counters counters = new Counters();
  private volatile NameTable table = NameTable.EMPTY;
  private volatile boolean open = true;

  /**
   * Starts the selector thread. {@code upstream}: an unbound-yet UDP socket made in the host's
   * namespace (where forwards are sent from); it is bound to an ephemeral port here.
   */
  public DnsServer(DatagramChannel upstream) throws IOException {
    this.selector = Selector.open();
    this.upstream = upstream;
    upstream.configureBlocking(false);
    if (upstream.getLocalAddress() == null) {
      upstream.bind(null);
    }
    upstream.register(selector, SelectionKey.OP_READ, this);
    this.thread = new Thread(this::loop, "netform-dns");
    thread.setDaemon(true);
    thread.start();
  }

  public Counters counters() {
    return counters;
  }

  /** Answers from {@code next} from now on. */
  public void table(NameTable next) {
    table = next;
  }

  /** Starts answering on these sockets (the container's old ones, if any, are closed). */
  public void serve(NamespaceSockets.Bound sockets) {
    submit(() -> {
      stop(sockets.container());
      try {
        Served s = new Served(sockets, new HashSet<>());
        sockets.udp().register(selector, SelectionKey.OP_READ, s);
        sockets.tcp().register(selector, SelectionKey.OP_ACCEPT, s);
        served.put(sockets.container(), s);
      } catch (ClosedChannelException e) {
        sockets.close();
      }
    });
  }

  /** Stops answering in a container's namespace and closes its sockets (so the namespace can go). */
  public void stopServing(String container) {
    submit(() -> stop(container));
  }

  /** The containers served now, with the inode of the namespace their sockets are in. */
  public Map<String, Long> servedNamespaces() {
    java.util.concurrent.CompletableFuture<Map<String, Long>> f = new java.util.concurrent.CompletableFuture<>();
    submit(() -> {
      Map<String, Long> out = new HashMap<>();
      served.forEach((name, s) -> out.put(name, s.sockets().inode()));
      f.complete(out);
    });
    try {
      return f.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the name server did not answer", e);
    }
  }

  private void submit(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void stop(String container) {
    Served s = served.remove(container);
    if (s != null) {
      s.sockets().close();
      new ArrayList<>(s.connections()).forEach(this::closeConnection);
      forwarder.forget(c -> c instanceof UdpClient u && u.channel() == s.sockets().udp());
    }
  }

  private void loop() {
    long nextTick = System.nanoTime();
    while (open) {
      try {
        selector.select(TICK_MILLIS);
        for (Runnable t; (t = tasks.poll()) != null; ) {
          t.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          tick(now);
          nextTick = now + TICK_MILLIS * 1_000_000;
        }
      } catch (IOException | RuntimeException e) {
        if (open) {
          LOG.error("name server: {}", e.toString(), e); // keep serving: one bad event must not stop names
        }
      }
    }
  }

  private void handle(SelectionKey key) throws IOException {
    if (!key.isValid()) {
      return;
    }
    Object a = key.attachment();
    if (a == this) {
      readUpstream();
    } else if (a instanceof Served s && key.isAcceptable()) {
      accept(s);
    } else if (a instanceof Served s && key.isReadable()) {
      readUdp(s);
    } else if (a instanceof TcpConnection c) {
      if (key.isReadable()) {
        readTcp(c);
      }
      if (key.isValid() && key.isWritable()) {
        flush(c);
      }
    }
  }

  private void readUdp(Served s) throws IOException {
    DatagramChannel ch = s.sockets().udp();
    for (int i = 0; i < READS_PER_TURN; i++) {
      Datagram d = receive(ch);
      if (d == null) {
        return;
      }
      Responder.Outcome o = Responder.respond(table, s.sockets().container(), d.wire(), false);
      handleOutcome(o, new UdpClient(ch, d.from()));
    }
  }

  private record Datagram(SocketAddress from, byte[] wire) {}

  /** The next datagram waiting on {@code ch}, or null. */
  private Datagram receive(DatagramChannel ch) throws IOException {
    datagram.clear();
    SocketAddress from = ch.receive(datagram);
    if (from == null) {
      return null;
    }
    datagram.flip();
    byte[] wire = new byte[datagram.remaining()];
    datagram.get(wire);
    return new Datagram(from, wire);
  }

  private void handleOutcome(Responder.Outcome o, Client client) throws IOException {
    if (o instanceof Responder.Reply r) {
      if (r.rcode() == org.xbill.DNS.Rcode.FORMERR) {
        counters.malformed.incrementAndGet();
      } else {
        counters.answered.incrementAndGet();
      }
      send(client, r.wire());
    } else if (o instanceof Responder.Forward f) {
      Forwarder.Pending<Client> p = forwarder.add(client, f.query(), f.upstreams(), System.nanoTime());
      if (p == null) {
        counters.upstreamFailed.incrementAndGet();
        send(client, Responder.servFail(f.query()));
        return;
      }
      counters.forwarded.incrementAndGet();
      sendUpstream(p);
    } else {
      counters.malformed.incrementAndGet();
    }
  }

  /** Sends a forward; an upstream it cannot be sent to is skipped at once, and with none left the asker gets SERVFAIL. */
  private void sendUpstream(Forwarder.Pending<Client> p) throws IOException {
    while (true) {
      InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(p.upstream().toBytes()), NamespaceSockets.PORT);
      try {
        upstream.send(ByteBuffer.wrap(p.query), to);
        return;
      } catch (IOException | java.nio.channels.UnsupportedAddressTypeException e) { // no route; IPv6 on an IPv4 host
        LOG.debug("name server: cannot forward to {}: {}", to, e.toString()); // per query: not worth a warning each
        if (!forwarder.moveOn(p, System.nanoTime())) {
          counters.upstreamFailed.incrementAndGet();
          send(p.client, Responder.servFail(p.clientQuery()));
          return;
        }
      }
    }
  }

  private void readUpstream() throws IOException {
    for (int i = 0; i < READS_PER_TURN; i++) {
      Datagram d = receive(upstream);
      if (d == null) {
        return;
      }
      // The JDK reports an IPv4 sender on a dual-stack socket as an Inet4Address, 4 bytes.
      IpAddress source = IpAddress.fromBytes(((InetSocketAddress) d.from()).getAddress().getAddress());
      Forwarder.Pending<Client> p = forwarder.answered(d.wire(), source);
      if (p != null) {
        send(p.client, d.wire());
      }
    }
  }

  private void send(Client client, byte[] wire) throws IOException {
    if (client instanceof UdpClient u) {
      if (u.channel().isOpen()) {
        u.channel().send(ByteBuffer.wrap(wire), u.address()); // a full socket buffer drops it, as UDP may
      }
    } else if (client instanceof TcpConnection c && c.channel.isOpen()) {
      if (c.queued + wire.length + 2 > MAX_TCP_QUEUED_BYTES) {
        closeConnection(c); // a client that does not read its answers is not kept
        return;
      }
      ByteBuffer b = ByteBuffer.allocate(wire.length + 2);
      b.putShort((short) wire.length).put(wire).flip();
      c.out.add(b);
      c.queued += b.remaining();
      flush(c);
    }
  }

  private void accept(Served s) throws IOException {
    SocketChannel ch = s.sockets().tcp().accept();
    if (ch == null) {
      return;
    }
    if (connections.size() >= MAX_TCP || s.connections().size() >= MAX_TCP_PER_NAMESPACE) {
      counters.refusedConnections.incrementAndGet();
      ch.close();
      return;
    }
    ch.configureBlocking(false);
    TcpConnection c = new TcpConnection(s.sockets().container(), ch);
    c.key = ch.register(selector, SelectionKey.OP_READ, c);
    connections.add(c);
    s.connections().add(c);
  }

  private void readTcp(TcpConnection c) throws IOException {
    int n;
    try {
      n = c.channel.read(c.in);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      closeConnection(c);
      return;
    }
    c.lastActive = System.nanoTime();
    c.in.flip();
    while (c.in.remaining() >= 2) {
      int length = c.in.getShort(c.in.position()) & 0xffff;
      if (c.in.remaining() < 2 + length) {
        break;
      }
      c.in.position(c.in.position() + 2);
      byte[] wire = new byte[length];
      c.in.get(wire);
      handleOutcome(Responder.respond(table, c.asker, wire, true), c);
      if (!c.channel.isOpen()) {
        return;
      }
    }
    c.in.compact();
  }

  private void flush(TcpConnection c) throws IOException {
    try {
      while (!c.out.isEmpty()) {
        ByteBuffer b = c.out.peek();
        int written = c.channel.write(b);
        c.queued -= written;
        if (b.hasRemaining()) {
          break;
        }
        c.out.poll();
      }
    } catch (IOException e) {
      closeConnection(c);
      return;
    }
    if (c.key.isValid()) {
      c.key.interestOps(c.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }

  private void closeConnection(TcpConnection c) {
    connections.remove(c);
    served.values().forEach(s -> s.connections().remove(c));
    NamespaceSockets.closeQuietly(c.channel);
    forwarder.forget(client -> client == c);
  }

  /** Timed-out forwards move to the next upstream or fail; idle connections close. */
  private void tick(long now) throws IOException {
    List<Forwarder.Pending<Client>> retry = new ArrayList<>();
    for (Forwarder.Pending<Client> failed : forwarder.expire(now, retry)) {
      counters.upstreamFailed.incrementAndGet();
      send(failed.client, Responder.servFail(failed.clientQuery()));
    }
    for (Forwarder.Pending<Client> p : retry) {
      sendUpstream(p);
    }
    for (TcpConnection c : new ArrayList<>(connections)) {
      if (now - c.lastActive > TCP_IDLE_NANOS) {
        closeConnection(c);
      }
    }
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    served.values().forEach(s -> s.sockets().close());
    served.clear();
    new ArrayList<>(connections).forEach(this::closeConnection);
    NamespaceSockets.closeQuietly(upstream);
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to serve
    }
  }
}
