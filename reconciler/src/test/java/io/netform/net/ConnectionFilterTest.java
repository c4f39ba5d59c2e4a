package io.netform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.net.ConnectionFilter.Ends;
import io.netform.net.TrackedConnection.Tuple;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionFilterTest {

  static final IpAddress CLIENT = IpAddress.parse("192.0.2.1");
  static final IpAddress HOST = IpAddress.parse("198.51.100.1");
  static final IpAddress CONTAINER = IpAddress.parse("10.91.0.10");
  /** A client's UDP to the host's 9001, DNATed to the container's 7001. */
  static final TrackedConnection FORWARDED = new TrackedConnection(TrackedConnection.UDP, new Tuple(CLIENT, 6000, HOST, 9001),
      new Tuple(CONTAINER, 7001, CLIENT, 6000), TrackedConnection.DESTINATION_NAT, 1, 0);

  @Test
  void everyGivenFieldOfBothTuplesMustMatch() {
    ConnectionFilter forward = new ConnectionFilter(IpAddress.Family.V4, TrackedConnection.UDP,
        Ends.to(Optional.of(HOST), 9001), Ends.from(CONTAINER, 7001));
    assertTrue(forward.selects(FORWARDED));
    assertFalse(new ConnectionFilter(IpAddress.Family.V4, TrackedConnection.TCP, Ends.to(Optional.of(HOST), 9001),
        Ends.ANY).selects(FORWARDED), "another protocol");
    assertFalse(new ConnectionFilter(IpAddress.Family.V4, TrackedConnection.UDP, Ends.ANY, Ends.from(CONTAINER, 7002))
        .selects(FORWARDED), "another reply source port");
    assertFalse(new ConnectionFilter(IpAddress.Family.V4, 0, Ends.from(CONTAINER, 0), Ends.ANY).selects(FORWARDED),
        "the container is the reply's source, not the original's");
    assertFalse(new ConnectionFilter(IpAddress.Family.V6, 0, Ends.ANY, Ends.ANY).selects(FORWARDED), "another family");
  }

  @Test
  void withoutAddressesItSelectsMoreAndWithNothingLeftEverything() {
    ConnectionFilter byAddress = new ConnectionFilter(IpAddress.Family.V4, 0, Ends.ANY, Ends.from(HOST, 0));
    assertFalse(byAddress.selects(FORWARDED));
    assertTrue(byAddress.withoutAddresses().selects(FORWARDED));
    assertTrue(byAddress.withoutAddresses().selectsAll());
    ConnectionFilter byPort = new ConnectionFilter(IpAddress.Family.V4, TrackedConnection.UDP, Ends.to(Optional.of(HOST), 9001),
        Ends.ANY);
    assertEquals(new ConnectionFilter(IpAddress.Family.V4, TrackedConnection.UDP, Ends.to(Optional.empty(), 9001), Ends.ANY),
        byPort.withoutAddresses());
    assertFalse(byPort.withoutAddresses().selectsAll());
  }

  @Test
  void aPortWithoutAProtocolIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ConnectionFilter(IpAddress.Family.V4, 0, Ends.to(Optional.empty(), 9001), Ends.ANY));
  }
}
