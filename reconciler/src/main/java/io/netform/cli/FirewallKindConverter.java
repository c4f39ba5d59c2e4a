package io.netform.cli;

import io.netform.kernel.firewall.FirewallKind;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --firewall-backend iptables|nftables}, with a message that names the choices. */
final class FirewallKindConverter implements ITypeConverter<FirewallKind> {

  private final UnaryOperator<String> environment;

  FirewallKindConverter() {
    this(System::getenv);
  }

  FirewallKindConverter(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public FirewallKind convert(String value) {
    String fromEnvironment = environment.apply(FirewallKind.ENVIRONMENT);
    // picocli names the option even when the value came from the environment: say where it came from
    String where = value.equals(fromEnvironment) ? " (from the environment variable " + FirewallKind.ENVIRONMENT + "; "
        + "set it to iptables or nftables, or unset it)" : "";
    return FirewallKind.parse(value).orElseThrow(() -> new TypeConversionException("'" + value + "' is no firewall backend: "
        + "use iptables or nftables" + where));
  }
}
