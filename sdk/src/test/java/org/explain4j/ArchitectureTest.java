package org.explain4j;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK's package layering as docs/architecture.md draws it, checked on the compiled classes. */
class ArchitectureTest {
  static JavaClasses sdk;

  @BeforeAll
  static void load() {
    sdk = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("testkit"))
        .importPackages("org.explain4j");
  }

  @Test
  void packagesAreLayeredTopToBottom() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("render").definedBy("org.explain4j.render..")
        .layer("metric").definedBy("org.explain4j.metric..")
        .layer("api").definedBy("org.explain4j")
        // The explain runs behind the API: they drive the methods and engines over the TensorFlow plumbing.
        .layer("runs").definedBy("org.explain4j.internal.explain..")
        .layer("method").definedBy("org.explain4j.method..")
        .layer("internal").definedBy("org.explain4j.internal.graph..", "org.explain4j.internal.tf..")
        .layer("engine").definedBy("org.explain4j.engine..")
        .layer("cam").definedBy("org.explain4j.cam..")
        .layer("input").definedBy("org.explain4j.input..")
        .layer("model").definedBy("org.explain4j.model..")
        .layer("exceptions").definedBy("org.explain4j.exceptions..")
        .whereLayer("render").mayNotBeAccessedByAnyLayer()
        .whereLayer("metric").mayNotBeAccessedByAnyLayer()
        .whereLayer("api").mayOnlyBeAccessedByLayers("render", "metric")
        .whereLayer("runs").mayOnlyBeAccessedByLayers("api")
        .whereLayer("method").mayOnlyBeAccessedByLayers("api", "runs")
        .whereLayer("internal").mayOnlyBeAccessedByLayers("api", "runs")
        .whereLayer("engine").mayOnlyBeAccessedByLayers("api", "runs", "method")
        .whereLayer("cam").mayOnlyBeAccessedByLayers("api", "method", "engine", "render")
        .whereLayer("input").mayOnlyBeAccessedByLayers("api", "render", "metric", "runs", "method", "internal")
        .whereLayer("model").mayOnlyBeAccessedByLayers("api", "render", "metric", "runs", "method", "internal", "input")
        .check(sdk);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.(**)").should().beFreeOfCycles().check(sdk);
  }

  @Test
  void theFormattersDoNotReachIntoEachOther() {
    slices().matching("org.explain4j.render.(*)..").should().notDependOnEachOther().check(sdk);
  }
}
