# Dependency lookup. Every dependency is found through pkg-config; when one is
# missing, configuration stops with the Debian package that provides it, so a
# newcomer never has to guess (scripts/setup.sh installs them all).
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' (or run scripts/setup.sh)")
endif()

# kiosk_require_pkg(<target-name> <pkg-config module> <debian package>)
# Creates the imported target PkgConfig::<target-name> or stops configuration.
function(kiosk_require_pkg name module debian)
  if(TARGET PkgConfig::${name})
    return()
  endif()
  pkg_check_modules(${name} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "missing dependency '${module}': install the Debian package '${debian}' "
                        "(sudo apt-get install ${debian}, or run scripts/setup.sh)")
  endif()
endfunction()

# kiosk_optional_pkg(<target-name> <pkg-config module>): sets <name>_FOUND.
function(kiosk_optional_pkg name module)
  if(TARGET PkgConfig::${name})
    set(${name}_FOUND TRUE PARENT_SCOPE)
    return()
  endif()
  pkg_check_modules(${name} QUIET IMPORTED_TARGET GLOBAL ${module})
  set(${name}_FOUND ${${name}_FOUND} PARENT_SCOPE)
endfunction()
