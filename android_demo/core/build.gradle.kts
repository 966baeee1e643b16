import org.jetbrains.kotlin.gradle.dsl.JvmTarget

// Pure Kotlin, no Android: the same sources run in the app and in JVM unit tests
// (`./gradlew :core:test` here, or `bash core/run_jvm_tests.sh` without Gradle).
plugins {
    alias(libs.plugins.kotlin.jvm)
}

// Bytecode for Java 17 (the app's level) from whatever JDK 17+ runs Gradle; no toolchain
// download needed.
java {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    testImplementation(libs.kotlin.test.junit)
    testImplementation(libs.junit)
}
