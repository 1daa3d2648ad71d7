package org.huisclos.media;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The media node's packages stay a graph without cycles; forwarding knows relay links only as a
 * LinkHook; the node writes no event-bus message of its own: the contract's codec does.
 */
class PackageDependenciesTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.huisclos.media");

    @Test
    void noPackageCycles() {
        slices().matching("org.huisclos.media.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void forwardingDoesNotDependOnRelay() {
        noClasses().that().resideInAPackage("org.huisclos.media.forward..")
                .should().dependOnClassesThat().resideInAPackage("org.huisclos.media.relay..")
                .check(MAIN);
    }

    @Test
    void messagesAreBuiltByTheContractOnly() {
        noClasses().should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                        JavaClass.Predicates.assignableTo(JsonObject.class).or(JavaClass.Predicates.assignableTo(JsonArray.class))))
                        .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching("put.*|add.*|set|remove|mergeIn"))))
                .orShould().callConstructor(JsonObject.class)
                .orShould().callConstructor(JsonArray.class)
                .because("event-bus messages are records of org.huisclos.contract, written by its codecs")
                .check(MAIN);
    }
}
