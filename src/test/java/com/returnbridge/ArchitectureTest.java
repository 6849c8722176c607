package com.returnbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout written down (README, "How it is built"): packages form floors that point one way, the product never
 * uses the sandbox, and vendor shapes stay inside their vendor package. A change that breaks one fails here, with
 * the offending dependency named.
 */
class ArchitectureTest {

    private static JavaClasses product;

    @BeforeAll
    static void importClasses() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.returnbridge");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("com.returnbridge.(*)..").should().beFreeOfCycles().check(product);
    }

    @Test
    void floorsPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("database").definedBy("com.returnbridge.database..")
                .layer("vendor").definedBy("com.returnbridge.vendor..")
                .layer("connection").definedBy("com.returnbridge.connection..")
                .layer("jobs").definedBy("com.returnbridge.jobs..")
                .layer("bridge").definedBy("com.returnbridge.bridge..")
                .layer("grading").definedBy("com.returnbridge.grading..")
                .layer("vendor clients").definedBy("com.returnbridge.loop..", "com.returnbridge.shiphero..")
                .layer("intake").definedBy("com.returnbridge.intake..")
                .layer("sweeps").definedBy("com.returnbridge.reconcile..", "com.returnbridge.backfill..")
                .layer("onboarding").definedBy("com.returnbridge.onboarding..")
                .layer("monitor").definedBy("com.returnbridge.monitor..")
                .layer("console").definedBy("com.returnbridge.console..")
                .layer("sandbox").definedBy("com.returnbridge.sandbox..")
                .whereLayer("console").mayOnlyBeAccessedByLayers("sandbox")
                .whereLayer("monitor").mayOnlyBeAccessedByLayers("console", "sandbox")
                .whereLayer("onboarding").mayOnlyBeAccessedByLayers("monitor", "console", "sandbox")
                .whereLayer("sweeps").mayOnlyBeAccessedByLayers("monitor", "onboarding", "console", "sandbox")
                .whereLayer("intake").mayOnlyBeAccessedByLayers("sweeps", "monitor", "onboarding", "console",
                        "sandbox")
                .whereLayer("vendor clients").mayOnlyBeAccessedByLayers("intake", "sweeps", "monitor", "onboarding",
                        "console", "sandbox")
                .whereLayer("grading").mayOnlyBeAccessedByLayers("vendor clients", "intake", "sweeps", "monitor",
                        "onboarding", "console", "sandbox")
                .whereLayer("bridge").mayOnlyBeAccessedByLayers("grading", "vendor clients", "intake", "sweeps",
                        "monitor", "onboarding", "console", "sandbox")
                .whereLayer("jobs").mayOnlyBeAccessedByLayers(above("jobs"))
                .whereLayer("connection").mayOnlyBeAccessedByLayers(above("connection"))
                .whereLayer("vendor").mayOnlyBeAccessedByLayers(above("vendor"))
                .check(product);
    }

    /** The floors, bottom to top, as in the layered rule. */
    private static final java.util.List<String> FLOORS = java.util.List.of("database", "vendor", "connection", "jobs",
            "bridge", "grading", "vendor clients", "intake", "sweeps", "onboarding", "monitor", "console", "sandbox");

    private static String[] above(String floor) {
        return FLOORS.subList(FLOORS.indexOf(floor) + 1, FLOORS.size()).toArray(String[]::new);
    }

    @Test
    void theProductNeverUsesTheSandbox() {
        noClasses().that().resideOutsideOfPackage("com.returnbridge.sandbox..")
                .should().dependOnClassesThat().resideInAPackage("com.returnbridge.sandbox..")
                .check(product);
    }

    @Test
    void graphQlStaysInTheShipHeroClient() {
        noClasses().that().resideOutsideOfPackages("com.returnbridge.shiphero..", "com.returnbridge.sandbox..")
                .should().dependOnClassesThat().resideInAPackage("graphql..")
                .check(product);
    }

    @Test
    void vendorJsonStaysInTheVendorClients() {
        // The bridge decides on its own small records; Loop's and ShipHero's JSON is read in loop and shiphero.
        // StoredLoopReturn reads and writes the bridge's own stored JSON, not a vendor's.
        noClasses().that().resideInAnyPackage("com.returnbridge.bridge..", "com.returnbridge.jobs..",
                        "com.returnbridge.connection..", "com.returnbridge.grading..")
                .and().doNotHaveSimpleName("StoredLoopReturn")
                .should().dependOnClassesThat().haveFullyQualifiedName("tools.jackson.databind.JsonNode")
                .check(product);
    }
}
