package io.netform.validate;

import io.netform.desired.SourceMap;

/** JSON pointers of the places validation rules talk about. */
final class Paths {

  private Paths() {}

  static String network(String name) {
    return "/networks/" + SourceMap.segment(name);
  }

  static String pool(String network, int index) {
    return network(network) + "/ipam/config/" + index;
  }

  static String container(String name) {
    return "/containers/" + SourceMap.segment(name);
  }

  static String host(String name) {
    return "/hosts/" + SourceMap.segment(name);
  }

  static String attachment(String container, String network) {
    return container(container) + "/networks/" + SourceMap.segment(network);
  }
}
