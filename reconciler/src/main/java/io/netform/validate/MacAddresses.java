package io.netform.validate;

import io.netform.net.MacAddress;
import java.util.Optional;

/** MAC addresses an interface can have: the kernel refuses multicast and all-zero ones. */
final class MacAddresses {

  private MacAddresses() {}

  /** What makes {@code mac} unusable for an interface, or empty. */
  static Optional<ValueProblem> problem(MacAddress mac) {
    String why;
    if (mac.value() == 0) {
      why = "is all zeros";
    } else if (mac.isMulticast()) {
      why = "is a multicast address (the lowest bit of its first byte is set" + (mac.value() == 0xffffffffffffL
          ? "; this one is the broadcast address)" : ")");
    } else {
      return Optional.empty();
    }
    return Optional.of(new ValueProblem("unusable-mac", "mac_address " + mac + " " + why
        + ": the kernel refuses it for an interface",
        "use a unicast address, e.g. one with 02 as its first byte (locally administered): 02:42:0a:0f:14:0a"));
  }
}
