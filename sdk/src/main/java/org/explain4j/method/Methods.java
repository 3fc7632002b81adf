package org.explain4j.method;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.explain4j.engine.CamEngine;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.model.LayerKind;

/** The registered {@link AttributionMethod}s, found with {@link ServiceLoader}, and the choice among them. */
public final class Methods {
  private Methods() {}

  /** Every registered method, by name. */
  public static List<AttributionMethod> all() {
    List<AttributionMethod> methods = new ArrayList<>();
    ServiceLoader.load(AttributionMethod.class).forEach(methods::add);
    methods.sort(Comparator.comparing(AttributionMethod::name));
    return methods;
  }

  /**
   * The methods named in {@code names} (comma-separated, in that order; each once) for a layer of
   * {@code kind}, or the default for the kind when {@code names} is null.
   */
  public static List<AttributionMethod> chooseAll(String names, LayerKind kind) {
    if (names == null) {
      return List.of(choose(null, kind));
    }
    List<AttributionMethod> chosen = new ArrayList<>();
    for (String name : new java.util.LinkedHashSet<>(java.util.Arrays.stream(names.split(","))
        .map(n -> n.trim().toLowerCase(Locale.ROOT)).toList())) {
      if (!name.isBlank()) {
        chosen.add(choose(name, kind));
      }
    }
    if (chosen.isEmpty()) {
      throw new ExplainException("No method named in '" + names + "': expected one of " + all().stream().map(AttributionMethod::name).toList());
    }
    return List.copyOf(chosen);
  }

  /**
   * The method named {@code name} for a layer of {@code kind}, or the default for the kind when
   * {@code name} is null: Grad-CAM for spatial and temporal layers, gradient x activation for units.
   */
  public static AttributionMethod choose(String name, LayerKind kind) {
    List<AttributionMethod> all = all();
    String wanted = name != null ? name.trim().toLowerCase(Locale.ROOT)
        : kind == LayerKind.UNITS ? "gradient-x-activation" : "grad-cam";
    AttributionMethod method = all.stream().filter(m -> m.name().equals(wanted)).findFirst()
        .orElseThrow(() -> new ExplainException("Unknown method '" + name + "': expected one of "
            + all.stream().map(AttributionMethod::name).toList()));
    if (!method.supports(kind)) {
      throw new ExplainException("Method '" + method.name() + "' cannot explain a " + kind.name().toLowerCase(Locale.ROOT)
          + " layer; methods that can: " + all.stream().filter(m -> m.supports(kind)).map(AttributionMethod::name).toList());
    }
    return method;
  }
}
