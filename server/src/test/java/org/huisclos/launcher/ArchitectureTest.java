package org.huisclos.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The whole product as the server jar holds it (docs/architecture.md): the module graph
 * server → {signaling-service, media-node, room-registry} → contract, seen in the packages; no
 * cycle between any two packages; and no event-bus or client-protocol message built outside the
 * contract's codecs and the client protocol's ({@code ClientMessages}). The media node checks the
 * rules of its own packages too (PackageDependenciesTest: forward does not depend on relay).
 */
class ArchitectureTest {
    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.huisclos");

    @Test
    void noCycleBetweenAnyPackages() {
        slices().matching("org.huisclos.(**)").should().beFreeOfCycles().check(ALL);
    }

    @Test
    void theModuleGraph() {
        noClasses().that().resideInAPackage("org.huisclos.contract..")
                .should().dependOnClassesThat().resideInAnyPackage("org.huisclos.media..", "org.huisclos.signaling..",
                        "org.huisclos.turn..", "org.huisclos.registry..", "org.huisclos.launcher..")
                .check(ALL);
        noClasses().that().resideInAnyPackage("org.huisclos.signaling..", "org.huisclos.turn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.huisclos.media..", "org.huisclos.launcher..")
                .check(ALL);
        noClasses().that().resideInAPackage("org.huisclos.media..")
                .should().dependOnClassesThat().resideInAnyPackage("org.huisclos.signaling..", "org.huisclos.turn..",
                        "org.huisclos.registry..", "org.huisclos.launcher..")
                .check(ALL);
        noClasses().that().resideInAPackage("org.huisclos.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.huisclos.media..", "org.huisclos.signaling..",
                        "org.huisclos.launcher..")
                .check(ALL);
    }

    @Test
    void messagesAreBuiltByTheCodecsOnly() {
        noClasses().that().resideOutsideOfPackage("org.huisclos.contract..")
                .and().doNotHaveFullyQualifiedName("org.huisclos.signaling.ClientMessages")
                .and().doNotHaveFullyQualifiedName("org.huisclos.signaling.OpsRoutes")
                .and().doNotHaveFullyQualifiedName("org.huisclos.signaling.AdminRoutes")
                .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                                JavaClass.Predicates.assignableTo(JsonObject.class)
                                        .or(JavaClass.Predicates.assignableTo(JsonArray.class))))
                        .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching("put.*|add.*|set|remove|mergeIn"))))
                .orShould().callConstructor(JsonObject.class)
                .orShould().callConstructor(JsonArray.class)
                .because("messages are records, written by the contract's codecs (event bus) and ClientMessages (client protocol)")
                .check(ALL);
    }
}
