package io.surveycast.channel;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileExtensionMatcher;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.ParseException;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import io.surveycast.config.PackagedFiles;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Message templates: {@code email/NAME.html}, {@code email/NAME.txt}, {@code sms/NAME.txt}, each
 * looked up first in the override directory ({@code SURVEYCAST_TEMPLATES_DIR}), then among the
 * defaults packaged in the jar. HTML templates are auto-escaped.
 */
public final class TemplateStore {
    private final Configuration freemarker;
    private final Path overrideDir;
    private final java.util.concurrent.ConcurrentMap<String, Template> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentMap<String, Map<String, String>> texts = new java.util.concurrent.ConcurrentHashMap<>();

    public TemplateStore(Optional<Path> overrideDir) {
        this.overrideDir = overrideDir.filter(Files::isDirectory).orElse(null);
        freemarker = new Configuration(Configuration.VERSION_2_3_34);
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setURLEscapingCharset("UTF-8"); // ?url in links to pages (names with accents)
        freemarker.setLocalizedLookup(false);
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        TemplateConfiguration html = new TemplateConfiguration();
        html.setOutputFormat(HTMLOutputFormat.INSTANCE);
        freemarker.setTemplateConfigurations(
                new ConditionalTemplateConfigurationFactory(new FileExtensionMatcher("html"), html));
        List<TemplateLoader> loaders = new ArrayList<>();
        if (overrideDir.isPresent() && Files.isDirectory(overrideDir.get())) {
            try {
                loaders.add(new FileTemplateLoader(overrideDir.get().toFile()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read templates in " + overrideDir.get(), e);
            }
        }
        loaders.add(new ClassTemplateLoader(TemplateStore.class, "/templates"));
        freemarker.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
    }

    /** The files a channel's template consists of, relative to the templates directory. */
    public static List<String> files(String channel, String name) {
        return channel.equals("email")
                ? List.of("email/" + name + ".html", "email/" + name + ".txt")
                : List.of(channel + "/" + name + ".txt");
    }

    /**
     * Why the template cannot be used (a missing file, a syntax error in it or in one of its locale
     * variants such as {@code nps-invite.fr.html}), or empty when it is fine.
     */
    public Optional<String> problem(String channel, String name) {
        List<String> all = new ArrayList<>(files(channel, name));
        all.addAll(localeVariants(channel, name));
        for (String file : all) {
            try {
                freemarker.getTemplate(file);
            } catch (TemplateNotFoundException e) {
                return Optional.of("template " + name + " not found (expected templates/" + file + ")");
            } catch (ParseException e) {
                return Optional.of("templates/" + file + " line " + e.getLineNumber() + ": " + firstLine(e.getEditorMessage()));
            } catch (IOException e) {
                return Optional.of("templates/" + file + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Renders {@code channel/NAME[.LOCALE].ext} with the model, trying the most specific locale
     * first: {@code nps-invite.fr-CA.html}, then {@code nps-invite.fr.html}, then {@code nps-invite.html}.
     */
    public String render(String channel, String name, String locale, String extension, Object model) {
        Template template = resolve(channel, name, locale, extension);
        StringWriter out = new StringWriter(4096); // an email's HTML part: no growing from 16 characters
        try {
            template.process(model, out);
        } catch (TemplateException | IOException e) {
            throw new IllegalStateException("templates/" + template.getName() + ": " + firstLine(e.getMessage()), e);
        }
        return out.toString();
    }

    private Template resolve(String channel, String name, String locale, String extension) {
        String key = channel + "/" + name + "|" + locale + "|" + extension;
        return resolved.computeIfAbsent(key, k -> {
            for (String candidate : localeCandidates(locale)) {
                String file = channel + "/" + name + candidate + "." + extension;
                try {
                    return freemarker.getTemplate(file);
                } catch (TemplateNotFoundException e) {
                    // try the next, less specific locale
                } catch (IOException e) {
                    throw new IllegalStateException("templates/" + file + ": " + firstLine(e.getMessage()), e);
                }
            }
            throw new IllegalStateException("template " + name + " not found (expected templates/" + channel + "/"
                    + name + "." + extension + ")");
        });
    }

    /** The locale variants of a template in the override directory and among the packaged ones. */
    public List<String> localeVariants(String channel, String name) {
        java.util.TreeSet<String> variants = new java.util.TreeSet<>();
        java.util.regex.Pattern variant = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(name) + "\\.[A-Za-z]{2,3}(-[A-Za-z0-9]+)*\\.(html|txt)");
        for (String file : listFiles(channel)) {
            if (variant.matcher(file).matches()) {
                variants.add(channel + "/" + file);
            }
        }
        return new ArrayList<>(variants);
    }

    private List<String> listFiles(String channel) {
        List<String> names = new ArrayList<>();
        if (overrideDir != null) {
            names.addAll(PackagedFiles.names(overrideDir.resolve(channel)));
        }
        names.addAll(PackagedFiles.list("templates/" + channel));
        return names;
    }

    /** {@code .fr-CA}, {@code .fr}, then the default (empty). */
    public static List<String> localeCandidates(String locale) {
        List<String> candidates = new ArrayList<>();
        if (locale != null && !locale.isBlank()) {
            String tag = java.util.Locale.forLanguageTag(locale.replace('_', '-')).toLanguageTag();
            if (!tag.equals("und")) {
                candidates.add("." + tag);
                String language = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
                if (!language.equals(tag)) {
                    candidates.add("." + language);
                }
            }
        }
        candidates.add("");
        return candidates;
    }

    /**
     * Wording kept as properties, {@code BASE.properties} overlaid by {@code BASE.fr.properties} and
     * {@code BASE.fr-CA.properties} when they exist (override directory first, then the packaged ones).
     * @param base e.g. {@code web/survey}
     */
    public Map<String, String> text(String base, String locale) {
        return texts.computeIfAbsent(base + "|" + locale, k -> {
            Map<String, String> text = new HashMap<>();
            List<String> candidates = localeCandidates(locale);
            for (int i = candidates.size() - 1; i >= 0; i--) { // the default first, the most specific last
                readProperties(base + candidates.get(i) + ".properties", text);
            }
            return Map.copyOf(text);
        });
    }

    private void readProperties(String name, Map<String, String> into) {
        var loader = freemarker.getTemplateLoader();
        try {
            Object source = loader.findTemplateSource(name);
            if (source == null) {
                return;
            }
            try (java.io.Reader reader = loader.getReader(source, "UTF-8")) {
                java.util.Properties properties = new java.util.Properties();
                properties.load(reader);
                properties.forEach((k, v) -> into.put((String) k, (String) v));
            } finally {
                loader.closeTemplateSource(source);
            }
        } catch (IOException e) {
            throw new IllegalStateException("templates/" + name + ": " + e.getMessage(), e);
        }
    }

    public Configuration freemarker() {
        return freemarker;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
