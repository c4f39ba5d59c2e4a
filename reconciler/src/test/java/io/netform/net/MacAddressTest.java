package io.netform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class MacAddressTest {

  @Test
  void dockerDerivationFromIpv4() {
    // reference-behaviour.md: 172.17.0.2 -> 02:42:ac:11:00:02
    assertEquals("02:42:ac:11:00:02", MacAddress.dockerStyle(IpAddress.parse("172.17.0.2")).toString());
  }

  @Test
  void parsesAnyCaseAndFormatsLowerCase() {
    MacAddress mac = MacAddress.parse("02:42:AC:11:00:02");
    assertEquals("02:42:ac:11:00:02", mac.toString());
    assertEquals(mac, MacAddress.fromBytes(mac.toBytes()));
    assertFalse(MacAddress.tryParse("02:42:ac:11:00").isPresent());
  }
}
