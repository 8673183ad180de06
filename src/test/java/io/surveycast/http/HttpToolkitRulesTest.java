package io.surveycast.http;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The {@code http} package is a toolkit (the server, the contract's routes, problem details,
 * request reading, pages' headers): it knows no feature. Features import it, never the reverse;
 * a feature's own exception becomes a problem through what the wiring gives {@link ProblemResponder},
 * and the API's role check through {@link ApiGuard}.
 */
@AnalyzeClasses(packages = "io.surveycast", importOptions = ImportOption.DoNotIncludeTests.class)
class HttpToolkitRulesTest {
    /** What the toolkit may use of ours besides itself: settings, the database handle, input errors. */
    private static final String[] NOT_FEATURES = {"io.surveycast.http..", "io.surveycast.config.."};

    @ArchTest
    static final ArchRule theHttpToolkitImportsNoFeature = noClasses().that().resideInAPackage("io.surveycast.http..")
            .should().dependOnClassesThat(resideInAPackage("io.surveycast..").and(not(resideInAnyPackage(NOT_FEATURES))))
            .because("http/ is the toolkit every feature's endpoints use; a feature's HTTP lives in the feature");
}
