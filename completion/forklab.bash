# bash completion for forklab: its commands, each command's options and the
# exercise names, all asked of forklab itself (`forklab --help`, `forklab
# help COMMAND`, `forklab list --names`), so they never drift from the CLI.
# Installed as share/bash-completion/completions/forklab; or source it.

_forklab()
{
    local forklab=${COMP_WORDS[0]} current=${COMP_WORDS[COMP_CWORD]}
    local previous=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    if [ "$COMP_CWORD" -eq 1 ]; then
        local commands
        commands=$("$forklab" --help 2>/dev/null |
            awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
        mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$current")
        return
    fi

    local command=${COMP_WORDS[1]} i
    # After `check ... --`, the words are the program's: complete commands,
    # then files.
    for ((i = 2; i < COMP_CWORD; i++)); do
        if [ "${COMP_WORDS[i]}" = -- ]; then
            if [ "$i" -eq $((COMP_CWORD - 1)) ]; then
                mapfile -t COMPREPLY < <(compgen -c -- "$current" | sort -u)
            else
                mapfile -t COMPREPLY < <(compgen -f -- "$current")
            fi
            return
        fi
    done

    case $previous in
    --exercise)
        mapfile -t COMPREPLY < <(compgen -W "$("$forklab" list --names 2>/dev/null)" -- "$current")
        return
        ;;
    --dir | --out)
        mapfile -t COMPREPLY < <(compgen -d -- "$current")
        return
        ;;
    --stdin | --output)
        mapfile -t COMPREPLY < <(compgen -f -- "$current")
        return
        ;;
    esac

    if [[ $current == -* ]]; then
        local options
        options=$("$forklab" help "$command" 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$current")
        return
    fi

    case $command in
    start | hint | show | verify | watch)
        mapfile -t COMPREPLY < <(compgen -W "$("$forklab" list --names 2>/dev/null)" -- "$current")
        ;;
    grade | grade-all | help)
        if [ "$command" = help ]; then
            mapfile -t COMPREPLY < <(compgen -W "$("$forklab" --help 2>/dev/null |
                awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')" -- "$current")
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$current")
        fi
        ;;
    esac
}

complete -o filenames -F _forklab forklab
