# bash completion for ecsim(1): written by `ecsim completion bash` from the
# table of commands in sim/cli_cmds.c; do not edit (make docs).

_ecsim_dirs()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$1"))
}

_ecsim_files()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_ecsim_json()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -X '!*.json' -- "$1") $(compgen -d -- "$1"))
}

_ecsim()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	# --opt=value: bash splits the word at '='
	if [ "$cur" = "=" ]; then
		cur=
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W 'run sweep serve merge compare check validate schema completion version help -h --help -V --version' -- "$cur"))
		return
	fi
	case $cmd in
	run)
		case $prev in
		-o|--output)
			_ecsim_dirs "$cur"
			return ;;
		--seed)
			COMPREPLY=()
			return ;;
		--duration)
			COMPREPLY=()
			return ;;
		--set)
			COMPREPLY=()
			return ;;
		--format)
			COMPREPLY=($(compgen -W 'text json' -- "$cur"))
			return ;;
		--max-memory)
			COMPREPLY=()
			return ;;
		--seeds)
			COMPREPLY=()
			return ;;
		-j|--jobs)
			COMPREPLY=()
			return ;;
		--shard)
			COMPREPLY=()
			return ;;
		--backend)
			COMPREPLY=($(compgen -W 'sim aws' -- "$cur"))
			return ;;
		--account)
			COMPREPLY=()
			return ;;
		--region)
			COMPREPLY=()
			return ;;
		--profile)
			COMPREPLY=()
			return ;;
		--endpoint-url)
			COMPREPLY=()
			return ;;
		--run-id)
			COMPREPLY=()
			return ;;
		--vpc-id)
			COMPREPLY=()
			return ;;
		--subnets)
			COMPREPLY=()
			return ;;
		--security-groups)
			COMPREPLY=()
			return ;;
		--poll-interval)
			COMPREPLY=()
			return ;;
		--clock)
			COMPREPLY=()
			return ;;
		--max-attempts)
			COMPREPLY=()
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '-o --output= --seed= --duration= --set= --format= --assumptions -q --quiet --max-memory= --seeds= -j --jobs= --shard= --run-reports --backend= --create --use-existing --dry-run --account= --region= -y --yes --keep --profile= --endpoint-url= --run-id= --vpc-id= --subnets= --security-groups= --poll-interval= --clock= --max-attempts= -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_json "$cur"
		;;
	sweep)
		case $prev in
		--vary)
			COMPREPLY=()
			return ;;
		--seeds)
			COMPREPLY=()
			return ;;
		-j|--jobs)
			COMPREPLY=()
			return ;;
		--shard)
			COMPREPLY=()
			return ;;
		--duration)
			COMPREPLY=()
			return ;;
		--set)
			COMPREPLY=()
			return ;;
		--max-memory)
			COMPREPLY=()
			return ;;
		--format)
			COMPREPLY=($(compgen -W 'text json' -- "$cur"))
			return ;;
		-o|--output)
			_ecsim_dirs "$cur"
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--vary= --seeds= -j --jobs= --shard= --run-reports --duration= --set= --max-memory= --format= -o --output= -q --quiet -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_json "$cur"
		;;
	serve)
		case $prev in
		--port)
			COMPREPLY=()
			return ;;
		--bind)
			COMPREPLY=()
			return ;;
		--clock)
			COMPREPLY=()
			return ;;
		--seed)
			COMPREPLY=()
			return ;;
		--duration)
			COMPREPLY=()
			return ;;
		--auth)
			COMPREPLY=()
			return ;;
		--max-body)
			COMPREPLY=()
			return ;;
		--timeout)
			COMPREPLY=()
			return ;;
		--port-file)
			_ecsim_files "$cur"
			return ;;
		--start-time)
			COMPREPLY=()
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--port= --bind= --clock= --seed= --duration= --auth= --max-body= --timeout= --port-file= --start-time= --no-timeline -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_json "$cur"
		;;
	merge)
		case $prev in
		-o|--output)
			_ecsim_dirs "$cur"
			return ;;
		--format)
			COMPREPLY=($(compgen -W 'text json' -- "$cur"))
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '-o --output= --format= -q --quiet -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_files "$cur"
		;;
	compare)
		case $prev in
		--tolerance)
			COMPREPLY=()
			return ;;
		--format)
			COMPREPLY=($(compgen -W 'text json' -- "$cur"))
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--tolerance= --format= --all -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_files "$cur"
		;;
	check)
		case $prev in
		--junit)
			_ecsim_files "$cur"
			return ;;
		--markdown)
			_ecsim_files "$cur"
			return ;;
		--seed)
			COMPREPLY=()
			return ;;
		--duration)
			COMPREPLY=()
			return ;;
		--set)
			COMPREPLY=()
			return ;;
		--max-memory)
			COMPREPLY=()
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--junit= --markdown= --seed= --duration= --set= --max-memory= -q --quiet -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_json "$cur"
		;;
	validate)
		case $prev in
		--set)
			COMPREPLY=()
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--set= -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		_ecsim_json "$cur"
		;;
	schema)
		case $prev in
		--format)
			COMPREPLY=($(compgen -W 'json markdown keys gaps' -- "$cur"))
			return ;;
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--format= -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		COMPREPLY=()
		;;
	completion)
		case $prev in
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '-h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		COMPREPLY=($(compgen -W 'bash zsh' -- "$cur"))
		;;
	version)
		case $prev in
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '-h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		COMPREPLY=()
		;;
	help)
		case $prev in
		esac
		case $cur in
		-*)
			COMPREPLY=($(compgen -W '--man -h --help' -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null
			return ;;
		esac
		COMPREPLY=($(compgen -W 'run sweep serve merge compare check validate schema completion version help' -- "$cur"))
		;;
	esac
}

complete -F _ecsim ecsim
