package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which route-change notifications can be drift: the header fields the predicate reads, one by one. */
class EventNoiseTest {

  /** A message of {@code type} whose payload starts with {@code header} (padded to a whole header). */
  private static Message message(int type, int... header) {
    byte[] payload = new byte[16];
    for (int i = 0; i < header.length; i++) {
      payload[i] = (byte) header[i];
    }
    return new Message(type, 0, 0, payload);
  }

  @Test
  void linkScopeAddressesAreNoiseOtherScopesAreNot() {
    assertTrue(EventNoise.isNoise(message(Nl.RTM_NEWADDR, Nl.AF_INET6, 64, 0, Nl.RT_SCOPE_LINK)));
    assertTrue(EventNoise.isNoise(message(Nl.RTM_DELADDR, Nl.AF_INET, 16, 0, Nl.RT_SCOPE_LINK)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_NEWADDR, Nl.AF_INET6, 64, 0, Nl.RT_SCOPE_UNIVERSE)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_DELADDR, Nl.AF_INET, 24, 0, Nl.RT_SCOPE_UNIVERSE)));
  }

  @Test
  void theKernelsIpv6RoutesAreNoiseEveryOtherRouteIsNot() {
    assertTrue(EventNoise.isNoise(message(Nl.RTM_NEWROUTE, Nl.AF_INET6, 64, 0, 0, Nl.RT_TABLE_MAIN, Nl.RTPROT_KERNEL)));
    assertTrue(EventNoise.isNoise(message(Nl.RTM_DELROUTE, Nl.AF_INET6, 8, 0, 0, 255, Nl.RTPROT_KERNEL)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_NEWROUTE, Nl.AF_INET6, 0, 0, 0, Nl.RT_TABLE_MAIN, Nl.RTPROT_STATIC)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_DELROUTE, Nl.AF_INET, 24, 0, 0, Nl.RT_TABLE_MAIN, Nl.RTPROT_KERNEL)));
  }

  @Test
  void theKernelsIpv6MulticastRouteIsNotNoise() {
    // IPv6 turned on or off on an interface (disable_ipv6): its multicast route is the only event at that moment.
    assertFalse(EventNoise.isNoise(message(Nl.RTM_NEWROUTE, Nl.AF_INET6, 8, 0, 0, 255, Nl.RTPROT_KERNEL, 0,
        Nl.RTN_MULTICAST)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_DELROUTE, Nl.AF_INET6, 8, 0, 0, 255, Nl.RTPROT_KERNEL, 0,
        Nl.RTN_MULTICAST)));
  }

  @Test
  void ipv6sPerLinkStateIsNoiseTheLinkItselfIsNot() {
    assertTrue(EventNoise.isNoise(message(Nl.RTM_NEWLINK, Nl.AF_INET6)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_NEWLINK, Nl.AF_UNSPEC)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_DELLINK, Nl.AF_INET6)));
    assertFalse(EventNoise.isNoise(message(Nl.RTM_NEWLINK, Nl.AF_BRIDGE)));
  }

  @Test
  void aTruncatedMessageIsNeverTakenForNoise() {
    assertFalse(EventNoise.isNoise(new Message(Nl.RTM_NEWADDR, 0, 0, new byte[] {Nl.AF_INET6, 64, 0})));
  }
}
