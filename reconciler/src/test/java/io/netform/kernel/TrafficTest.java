package io.netform.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.kernel.netlink.Nl;
import io.netform.kernel.netlink.Rtnl;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real TCP between two namespaces wired to a bridge in a third, all through netform's netlink client. */
@KernelTest
class TrafficTest {

  @Test
  void tcpAcrossABridge() throws Exception {
    try (Namespaces ns = new Namespaces()) {
      NetnsHandle host = ns.create("tr-host");
      NetnsHandle a = ns.create("tr-a");
      NetnsHandle b = ns.create("tr-b");
      Rtnl r = host.rtnl();
      r.run(r.createBridge(r.batch(), "nf-tr", 1500, Optional.empty(), Optional.empty(), true));
      int br = r.link("nf-tr").orElseThrow().index();
      r.run(r.addAddress(r.batch(), br, "nf-tr", Cidr.parse("10.99.0.1/24")));
      wire(r, br, "nfv-a", a, "10.99.0.2/24");
      wire(r, br, "nfv-b", b, "10.99.0.3/24");

      ServerSocket server = b.call(() -> new ServerSocket());
      b.call(() -> {
        server.bind(new InetSocketAddress(IpAddress.parse("10.99.0.3").toString(), 7000));
        return null;
      });
      CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          byte[] got = in.readNBytes(5);
          out.write(("echo:" + new String(got, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
          return "served";
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      String reply = a.call(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("10.99.0.3", 7000), 5000);
          s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
          return new String(s.getInputStream().readNBytes(10), StandardCharsets.US_ASCII);
        }
      });
      assertEquals("echo:hello", reply);
      assertEquals("served", echoed.get(5, TimeUnit.SECONDS));
      server.close();
    }
  }

  private static void wire(Rtnl r, int bridge, String hostName, NetnsHandle box, String cidr) {
    r.run(r.createVeth(r.batch(), hostName, 1500, bridge, Optional.empty(), true, "eth0", box.fd(), Optional.empty()));
    Rtnl inside = box.rtnl();
    int eth0 = inside.link("eth0").orElseThrow().index();
    inside.run(inside.setLink(inside.batch(), eth0, "eth0", Optional.empty(), 0, Optional.empty(), Optional.of(true), -1,
        Optional.empty()));
    inside.run(inside.addAddress(inside.batch(), eth0, "eth0", Cidr.parse(cidr)));
    inside.run(inside.replaceRoute(inside.batch(), Cidr.parse("0.0.0.0/0"), Optional.of(IpAddress.parse("10.99.0.1")), eth0,
        Nl.RTPROT_STATIC));
  }
}
