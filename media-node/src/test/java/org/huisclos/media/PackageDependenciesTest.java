package org.huisclos.media;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The media node's packages stay a graph without cycles; forwarding knows relay links only as a
 * LinkHook; bandwidth estimation is pure computation over RTCP feedback. (That the node writes no event-bus message of its own, the contract's codecs do, is
 * checked for the whole product by server's ArchitectureTest.)
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
    void bandwidthEstimationDependsOnRtcpAndBytesOnly() {
        classes().that().resideInAPackage("org.huisclos.media.bwe..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "org.huisclos.media.bwe..", "org.huisclos.media.rtcp..", "org.huisclos.media.bytes..", "java..")
                .check(MAIN);
    }
}
