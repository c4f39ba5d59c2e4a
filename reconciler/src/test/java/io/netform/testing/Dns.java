package io.netform.testing;

import io.netform.kernel.netns.NetnsHandle;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DNS queries as a container makes them: from inside its namespace, to 127.0.0.11:53. */
public final class Dns {

  /** What came back: the rcode's name ("NOERROR", "NXDOMAIN", …; "TIMEOUT" without an answer) and the addresses. */
  public record Lookup(String rcode, List<String> addresses) {

    public boolean resolved() {
      return rcode.equals("NOERROR") && !addresses.isEmpty();
    }
  }

  private Dns() {}

  public static Lookup a(NetnsHandle ns, String name) {
    return query(ns, name, Type.A);
  }

  public static Lookup query(NetnsHandle ns, String name, int type) {
    return ns.call(() -> ask(name, type, new InetSocketAddress("127.0.0.11", 53), 3000));
  }

  /** A query over UDP from the calling thread's namespace. */
  public static Lookup ask(String name, int type, InetSocketAddress server, int timeoutMillis) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
    byte[] wire = q.toWire();
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(wire, wire.length, server));
      byte[] buf = new byte[4096];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      while (true) {
        s.receive(p);
        Message r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
        if (r.getHeader().getID() != q.getHeader().getID()) {
          continue;
        }
        List<String> out = new ArrayList<>();
        for (Record rec : r.getSection(Section.ANSWER)) {
          if (rec instanceof ARecord ar) {
            out.add(ar.getAddress().getHostAddress());
          } else if (rec instanceof AAAARecord aaaa) {
            out.add(aaaa.getAddress().getHostAddress());
          } else {
            out.add(rec.rdataToString());
          }
        }
        return new Lookup(Rcode.string(r.getRcode()), out);
      }
    } catch (SocketTimeoutException e) {
      return new Lookup("TIMEOUT", List.of());
    }
  }

  /** A query over TCP (two bytes of length, then the message), from inside {@code ns}. */
  public static Lookup tcp(NetnsHandle ns, String name) {
    return ns.call(() -> {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
      byte[] wire = q.toWire();
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new InetSocketAddress("127.0.0.11", 53), 3000);
        s.setSoTimeout(3000);
        var out = new java.io.DataOutputStream(s.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
        var in = new java.io.DataInputStream(s.getInputStream());
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        Message r = new Message(answer);
        List<String> ips = new ArrayList<>();
        r.getSection(Section.ANSWER).forEach(rec -> ips.add(rec.rdataToString()));
        return new Lookup(Rcode.string(r.getRcode()), ips);
      } catch (SocketTimeoutException e) {
        return new Lookup("TIMEOUT", List.of());
      }
    });
  }

  /** The address of {@code ip} text as the tests compare it. */
  public static String text(InetAddress ip) {
    return ip.getHostAddress();
  }
}
