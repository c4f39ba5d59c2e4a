package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which notifications describe a link: the event-driven view must not take a bridge-port message for one. */
class LinkNotificationTest {

  static Message message(int type, int family) {
    byte[] bytes = MessageBuilder.of(type, 0).u8(family).u8(0).u16(0).u32(42).u32(Nl.IFF_UP).u32(0)
        .attrString(Nl.IFLA_IFNAME, "nfv0123456789ab").attrU32(Nl.IFLA_MASTER, 7).build(1);
    List<Message> parsed = NetlinkSocket.parse(bytes, bytes.length);
    assertEquals(1, parsed.size());
    return parsed.get(0);
  }

  @Test
  void aLinkNotificationIsALink() {
    LinkInfo l = Rtnl.parseLink(message(Nl.RTM_NEWLINK, Nl.AF_UNSPEC)).orElseThrow();
    assertEquals(42, l.index());
    assertEquals("nfv0123456789ab", l.name());
    assertEquals(7, l.master());
    assertTrue(l.up());
    assertTrue(Rtnl.parseLink(message(Nl.RTM_DELLINK, Nl.AF_UNSPEC)).isPresent());
  }

  @Test
  void aBridgePortNotificationIsNot() {
    assertTrue(Rtnl.parseLink(message(Nl.RTM_NEWLINK, Nl.AF_BRIDGE)).isEmpty(), "a port's state changed");
    assertTrue(Rtnl.parseLink(message(Nl.RTM_DELLINK, Nl.AF_BRIDGE)).isEmpty(), "a port left its bridge");
  }
}
