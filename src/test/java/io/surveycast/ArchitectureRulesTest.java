package io.surveycast;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.List;
import java.util.Set;

/**
 * The package rules of issue 13.6, checked on the main code in every {@code ./mvnw verify}. A feature
 * is a package directly under {@code io.surveycast} (with its subpackages). The rule that the
 * {@code http/} toolkit imports no feature is {@code http/HttpToolkitRulesTest}, beside that package.
 *
 * <p>Each rule names what it lets through. The lists marked "issue 13: to remove" are the places that
 * broke the rule when it was written: they are named one by one so that any new break fails, and the
 * list should only shrink.
 */
@AnalyzeClasses(packages = "io.surveycast", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTest {

    // ---- (a) the domain does not use Camel ------------------------------------------------------

    /**
     * The thin adapters that wire Camel, recognised by the last word of their (top-level) class
     * name: HTTP endpoints and pages, webhooks, route builders, channel gateways, Quartz jobs.
     */
    static final List<String> ADAPTER_SUFFIXES =
            List.of("Endpoint", "Endpoints", "Page", "Pages", "Webhooks", "Routes", "Gateway", "Job", "Configuration");

    /**
     * Packages that are adapters as a whole: {@code http/} (the HTTP toolkit). The app wiring
     * ({@code App}, {@code CoreConfiguration}) is in the root package, which is no feature and not checked.
     */
    static final String[] ADAPTER_PACKAGES = {"io.surveycast.http.."};

    /**
     * Classes that use Camel but are not named or placed as an adapter. Empty since issue 13 moved
     * the API token and session checks' Exchange reading into http/ (ApiGate, PageAccess): keep it so.
     */
    static final Set<String> CAMEL_OUTSIDE_ADAPTERS = Set.of();

    static final DescribedPredicate<JavaClass> ADAPTERS = describe(
            "adapters (name ending in " + String.join("/", ADAPTER_SUFFIXES) + ", or in http/)",
            c -> resideInAnyPackage(ADAPTER_PACKAGES).test(c)
                    || ADAPTER_SUFFIXES.stream().anyMatch(topLevel(c).getSimpleName()::endsWith));

    static final DescribedPredicate<JavaClass> KNOWN_CAMEL_USERS = describe(
            "known Camel users (issue 13: to remove)", c -> CAMEL_OUTSIDE_ADAPTERS.contains(topLevel(c).getName()));

    @ArchTest
    static final ArchRule domainDoesNotUseCamel = noClasses()
            .that(resideInAPackage("io.surveycast.*..").and(not(ADAPTERS)).and(not(KNOWN_CAMEL_USERS)))
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
            .because("domain logic is plain Java; Camel is only wired by adapters and routes (issue 13.6)");

    // ---- (b) no cycles between features ---------------------------------------------------------

    /**
     * issue 13: to remove. The dependencies that close the cycles found when the rule was written,
     * each as (class, class it uses); the rule ignores exactly these and fails on any other cycle.
     */
    static final List<List<String>> CYCLE_EDGES = List.of();

    @ArchTest
    static final ArchRule noCyclesBetweenFeatures = ignoringKnownCycleEdges(slices()
            .matching("io.surveycast.(*)..")
            .should().beFreeOfCycles())
            .because("a feature can be understood, tested and changed above the ones it uses (issue 13.6)");

    // ---- (c) features depend downwards, never on the entry points ---------------------------------

    /** issue 13: to remove. Uses of the command line from a feature: (class, class it uses). */
    static final List<List<String>> FEATURE_TO_ENTRY_POINT = List.of();

    static final DescribedPredicate<Dependency> ON_AN_ENTRY_POINT = describe(
            "a dependency on cli/ or the app wiring (other than the known ones)",
            d -> resideInAnyPackage("io.surveycast.cli..", "io.surveycast").test(d.getTargetClass())
                    && !FEATURE_TO_ENTRY_POINT.contains(List.of(
                            topLevel(d.getOriginClass()).getName(), topLevel(d.getTargetClass()).getName())));

    @ArchTest
    static final ArchRule featuresDoNotUseTheEntryPoints = noClasses()
            .that().resideInAPackage("io.surveycast.*..").and().resideOutsideOfPackage("io.surveycast.cli..")
            .should(ArchConditions.haveAnyDependenciesThat(ON_AN_ENTRY_POINT))
            .because("the commands and the app wiring use the features, not the reverse (issue 13.6)");

    private static SliceRule ignoringKnownCycleEdges(
            SliceRule rule) {
        for (List<String> edge : CYCLE_EDGES) {
            rule = rule.ignoreDependency(
                    describe(edge.get(0), c -> topLevel(c).getName().equals(edge.get(0))),
                    describe(edge.get(1), c -> topLevel(c).getName().equals(edge.get(1))));
        }
        return rule;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
