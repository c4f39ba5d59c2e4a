package io.netform.desired;

import java.util.regex.Pattern;

/** The names the desired state takes (schemas/netform.schema.json, $defs/name); Docker allows longer ones. */
public final class NetformNames {

  /** A network, container or host name, as the schema's $defs/name has it. */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

  private static final Pattern NAME = Pattern.compile(PATTERN);

  public static final String REFUSED = "netform's names are letters, digits, '_', '.' and '-', at most 63, starting with a"
      + " letter or digit";

  private NetformNames() {}

  public static boolean allowed(String name) {
    return NAME.matcher(name).matches();
  }
}
