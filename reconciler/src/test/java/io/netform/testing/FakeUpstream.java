package io.netform.testing;

import io.netform.kernel.netns.NetnsHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A name server beyond the host (in a sandbox's world namespace, at 198.18.0.1:53): answers the
 * A records it is given, NXDOMAIN for anything else, after {@code delayMillis} (a slow upstream).
 */
public final class FakeUpstream implements AutoCloseable {

  private final DatagramChannel channel;
  private final Thread thread;
  private final Map<String, String> names;
  private final AtomicInteger queries = new AtomicInteger();
  private volatile long delayMillis;

  public FakeUpstream(NetnsHandle ns, String address, Map<String, String> names) {
    this.names = Map.copyOf(names);
    this.channel = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress(address, 53)));
    this.thread = new Thread(this::serve, "fake-upstream");
    thread.setDaemon(true);
    thread.start();
  }

  public void delay(long millis) {
    delayMillis = millis;
  }

  /** How many queries reached it. */
  public int queries() {
    return queries.get();
  }

  private void serve() {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (channel.isOpen()) {
      try {
        buf.clear();
        SocketAddress from = channel.receive(buf);
        queries.incrementAndGet();
        buf.flip();
        byte[] wire = new byte[buf.remaining()];
        buf.get(wire);
        Message q = new Message(wire);
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        String name = q.getQuestion().getName().toString(true);
        String ip = names.get(name);
        if (ip != null && q.getQuestion().getType() == Type.A) {
          r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName(ip)), Section.ANSWER);
        } else if (ip == null) {
          r.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        channel.send(ByteBuffer.wrap(r.toWire()), from);
      } catch (IOException e) {
        if (!channel.isOpen()) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    thread.interrupt();
  }
}
