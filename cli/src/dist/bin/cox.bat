@echo off
rem cox4j's command line, from the distribution: bin\cox demo, bin\cox ls DIR, bin\cox --help.
rem Needs only a Java 17+ runtime: %JAVA_HOME%\bin\java.exe, else java on the PATH. JAVA_OPTS adds
rem options for the JVM; COX_CLASSPATH is appended to the class path (Hadoop's client jars for hdfs://).
rem (bin/cox, for Linux and macOS, also keeps a class-data-sharing archive.)
setlocal
set "COX_HOME=%~dp0.."
if defined JAVA_HOME (
    set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
) else (
    set "JAVA_EXE=java.exe"
)
if defined JAVA_HOME if not exist "%JAVA_EXE%" (
    echo cox: no java found at %JAVA_EXE%: set JAVA_HOME to a Java 17+ runtime 1>&2
    exit /b 1
)
if not defined JAVA_HOME (
    where java.exe >nul 2>nul || (
        echo cox: no java found: set JAVA_HOME or put the java of a Java 17+ runtime on the PATH 1>&2
        exit /b 1
    )
)
rem C2 pays off only for commands that work for seconds; the rest start sooner on C1 alone
set "COX_JIT="
set "COX_FIRST=%~1"
if "%COX_FIRST%"=="" set "COX_JIT=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if defined COX_FIRST if "%COX_FIRST:~0,1%"=="-" set "COX_JIT=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
for %%C in (ls show diff help generate-completion) do if /i "%COX_FIRST%"=="%%C" set "COX_JIT=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
set "COX_CP=%COX_HOME%\lib\*"
if defined COX_CLASSPATH set "COX_CP=%COX_CP%;%COX_CLASSPATH%"
"%JAVA_EXE%" %COX_JIT% %JAVA_OPTS% -cp "%COX_CP%" cox.cli.CoxCommand %*
exit /b %ERRORLEVEL%
