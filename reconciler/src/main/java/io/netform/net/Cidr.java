package io.netform.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigInteger;
import java.util.Optional;

/**
 * An address with a prefix length, e.g. {@code 10.15.20.0/24}. The address part is kept as
 * written so that a subnet with host bits set can be reported; {@link #network()} gives the
 * canonical form.
 */
public record Cidr(IpAddress address, int prefix) implements Comparable<Cidr> {

  public Cidr {
    if (prefix < 0 || prefix > address.family().bits) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address.family());
    }
  }

  public static Optional<Cidr> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<IpAddress> address = IpAddress.tryParse(text.substring(0, slash));
    String prefixText = text.substring(slash + 1);
    if (address.isEmpty() || prefixText.isEmpty() || prefixText.length() > 3
        || !prefixText.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int prefix = Integer.parseInt(prefixText);
    if (prefix > address.get().family().bits) {
      return Optional.empty();
    }
    return Optional.of(new Cidr(address.get(), prefix));
  }

  @JsonCreator
  public static Cidr parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a CIDR: " + text));
  }

  public IpAddress.Family family() {
    return address.family();
  }

  private BigInteger hostMask() {
    return BigInteger.ONE.shiftLeft(family().bits - prefix).subtract(BigInteger.ONE);
  }

  /** The first address of the block (host bits cleared). */
  public IpAddress first() {
    if (address.isV4()) {
      long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      return IpAddress.v4(address.lo() & mask);
    }
    return IpAddress.fromBigInteger(family(), address.toBigInteger().andNot(hostMask()));
  }

  /** The last address of the block (the IPv4 broadcast address). */
  public IpAddress last() {
    if (address.isV4()) {
      long hostBits = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
      return IpAddress.v4(first().lo() | hostBits);
    }
    return IpAddress.fromBigInteger(family(), first().toBigInteger().or(hostMask()));
  }

  /** This block with host bits cleared. */
  public Cidr network() {
    return new Cidr(first(), prefix);
  }

  public boolean hasHostBits() {
    return !address.equals(first());
  }

  public boolean contains(IpAddress ip) {
    return ip.family() == family() && ip.compareTo(first()) >= 0 && ip.compareTo(last()) <= 0;
  }

  public boolean contains(Cidr other) {
    return other.family() == family() && other.prefix >= prefix && contains(other.first());
  }

  public boolean overlaps(Cidr other) {
    return other.family() == family() && (contains(other.first()) || other.contains(first()));
  }

  /** Number of addresses in the block, capped at Long.MAX_VALUE for huge IPv6 blocks. */
  public long size() {
    int hostBits = family().bits - prefix;
    return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
  }

  /** The same prefix length applied to another address, e.g. a gateway on this subnet. */
  public Cidr withAddress(IpAddress ip) {
    return new Cidr(ip, prefix);
  }

  @Override
  public int compareTo(Cidr other) {
    int c = address.compareTo(other.address);
    return c != 0 ? c : Integer.compare(prefix, other.prefix);
  }

  @JsonValue
  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
