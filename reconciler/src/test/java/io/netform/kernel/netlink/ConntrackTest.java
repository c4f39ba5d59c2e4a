package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.net.ConnectionFilter.Ends;
import io.netform.net.ConnectionFilter;
import io.netform.net.IpAddress;
import io.netform.net.TrackedConnection;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConntrackTest {

  @Test
  void filtersAreReliableFromLinux515() {
    assertTrue(Conntrack.filtersReliably("6.18.44-fc-v782"));
    assertTrue(Conntrack.filtersReliably("5.15.0-91-generic"));
    assertFalse(Conntrack.filtersReliably("5.14.21-150400.24.46-default"), "reply filters read with the original's flags");
    assertFalse(Conntrack.filtersReliably("5.4.0-150-generic"), "no filters: the whole table comes back");
    assertFalse(Conntrack.filtersReliably("4.19.0"));
    assertFalse(Conntrack.filtersReliably("unknown"));
    assertFalse(Conntrack.filtersReliably(null));
  }

  @Test
  void ipv6AddressesAreNotAskedFor() {
    ConnectionFilter v6 = new ConnectionFilter(IpAddress.Family.V6, TrackedConnection.UDP,
        Ends.to(Optional.of(IpAddress.parse("2001:db8::2")), 9001), Ends.from(IpAddress.parse("fd00:91::10"), 7001));
    assertEquals(v6.withoutAddresses(), Conntrack.asked(v6));
    ConnectionFilter v4 = new ConnectionFilter(IpAddress.Family.V4, 0, Ends.from(IpAddress.parse("10.91.0.10"), 0), Ends.ANY);
    assertEquals(v4, Conntrack.asked(v4));
  }
}
