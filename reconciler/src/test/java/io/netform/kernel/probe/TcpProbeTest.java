package io.netform.kernel.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.check.Answer;
import io.netform.kernel.KernelTest;
import io.netform.net.IpAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a connection attempt gets, told apart by the kernel's error number (never by a message,
 * which is in the machine's language), in the test JVM's own namespace: loopback only.
 */
@KernelTest
class TcpProbeTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @Test
  void aListenerConnectsAndAClosedPortIsRefusedOverIpv4AndIpv6() throws Exception {
    for (String loopback : new String[] {"127.0.0.1", "::1"}) {
      int closed;
      try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(loopback))) {
        assertEquals(Answer.CONNECTED, TcpProbe.connect(IpAddress.parse(loopback), listener.getLocalPort(), TIMEOUT), loopback);
        closed = listener.getLocalPort();
      }
      assertEquals(Answer.REFUSED, TcpProbe.connect(IpAddress.parse(loopback), closed, TIMEOUT), loopback);
    }
  }

  @Test
  void anAddressWithoutARouteHasNone() {
    // this namespace has no route but loopback's
    assertEquals(Answer.NO_ROUTE, TcpProbe.connect(IpAddress.parse("198.51.100.7"), 80, TIMEOUT));
  }
}
