package org.huisclos.signaling;

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
 * Signaling's packages form no cycle, and it writes no message of its own outside the codecs: the
 * event-bus messages are the contract's records (MediaCodec, SignalingCodec), the client protocol's
 * are written by {@link ClientMessages}; only the operations endpoints (OpsRoutes, AdminRoutes) write
 * other JSON, their HTTP replies.
 */
class SignalingArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.huisclos.signaling", "org.huisclos.turn");

    @Test
    void noPackageCycles() {
        slices().matching("org.huisclos.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void messagesAreBuiltByTheCodecsOnly() {
        noClasses().that().doNotHaveSimpleName("ClientMessages")
                .and().doNotHaveSimpleName("OpsRoutes")
                .and().doNotHaveSimpleName("AdminRoutes")
                .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                                JavaClass.Predicates.assignableTo(JsonObject.class)
                                        .or(JavaClass.Predicates.assignableTo(JsonArray.class))))
                        .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching("put.*|add.*|set|remove|mergeIn"))))
                .orShould().callConstructor(JsonObject.class)
                .orShould().callConstructor(JsonArray.class)
                .because("event-bus messages are records of org.huisclos.contract, written by its codecs, and the "
                        + "client protocol's are written by ClientMessages")
                .check(MAIN);
    }
}
