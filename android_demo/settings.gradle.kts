// keras-mccnet Android demo: `core` is pure Kotlin (tiling, blending, packing, metadata, stats;
// JVM-tested, also without Gradle by core/run_jvm_tests.sh), `app` is the Android UI on LiteRT.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "mccnet-demo"
include(":core", ":app")
