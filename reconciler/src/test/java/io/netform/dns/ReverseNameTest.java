package io.netform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.net.IpAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;

/** The address a PTR question asks about, for IPv4 and IPv6, and none for other names. */
class ReverseNameTest {

  @Test
  void reverseNamesOfBothFamiliesGiveTheirAddress() throws Exception {
    for (String ip : new String[] {"10.80.1.2", "fd00:10::3"}) {
      Name reverse = ReverseMap.fromAddress(IpAddress.parse(ip).toBytes());
      assertEquals(Optional.of(IpAddress.parse(ip)), Responder.ptrAddress(reverse), reverse.toString());
    }
    assertEquals(Optional.of(IpAddress.parse("1.2.3.4")), Responder.ptrAddress(Name.fromString("4.3.2.1.IN-ADDR.ARPA.")));
  }

  @Test
  void otherNamesGiveNone() throws Exception {
    for (String name : new String[] {"web.", "3.2.1.in-addr.arpa.", "x.4.3.2.1.in-addr.arpa.", "1.ip6.arpa."}) {
      assertEquals(Optional.empty(), Responder.ptrAddress(Name.fromString(name)), name);
    }
  }
}
